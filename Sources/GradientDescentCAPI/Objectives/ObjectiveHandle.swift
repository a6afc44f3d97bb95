import GradientDescent

/// What a `gd_objective *` points at: any objective, whatever its source (callback,
/// built-in, plugin, foreign function).
final class ObjectiveHandle {
    let objective: any Objective
    init(_ objective: any Objective) { self.objective = objective }
}

func objectiveHandle(_ pointer: OpaquePointer?, _ name: StaticString = "obj") throws(GradientDescentError) -> any Objective {
    object(try required(pointer, name), as: ObjectiveHandle.self).objective
}
