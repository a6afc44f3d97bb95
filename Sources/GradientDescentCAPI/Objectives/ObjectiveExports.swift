import CGradientDescent
import GradientDescent

@c @implementation
public func gd_objective_new(_ fn: gd_objective_fn?, _ user: UnsafeMutableRawPointer?, _ n: Int,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_new") { () throws(GradientDescentError) in
        let function = try required(fn, "fn")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        out.pointee = retainedHandle(ObjectiveHandle(
            CallbackObjective(function: function, user: user, dimension: count)))
    }
}

@c @implementation
public func gd_objective_new_sampled(_ fn: gd_sampled_fn?, _ user: UnsafeMutableRawPointer?, _ n: Int,
                                     _ sample_count: Int,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_new_sampled") { () throws(GradientDescentError) in
        let function = try required(fn, "fn")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        let samples = try positiveCount(sample_count, "sample_count")
        out.pointee = retainedHandle(ObjectiveHandle(
            SampledCallbackObjective(function: function, user: user, dimension: count, sampleCount: samples)))
    }
}

@c @implementation
public func gd_objective_dimension(_ obj: OpaquePointer?, _ n: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_objective_dimension") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        try required(n, "n").pointee = objective.dimension
    }
}

@c @implementation
public func gd_objective_sample_count(_ obj: OpaquePointer?, _ count: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_objective_sample_count") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        try required(count, "count").pointee = objective.sampleCount
    }
}

@c @implementation
public func gd_objective_evaluate(_ obj: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int,
                                  _ grad: UnsafeMutablePointer<Double>?,
                                  _ loss: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_objective_evaluate") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        let x = try required(x, "x")
        let loss = try required(loss, "loss")
        if n != objective.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "n is \(UInt(bitPattern: n)) but the objective has dimension \(objective.dimension)")
        }
        let gradient = grad.map { UnsafeMutableBufferPointer(start: $0, count: n) }
        let value = try objective.evaluate(at: UnsafeBufferPointer(start: x, count: n), gradient: gradient)
        if !value.isFinite {
            throw GradientDescentError(.nonFinite, "the loss is \(value)")
        }
        loss.pointee = value
    }
}

@c @implementation
public func gd_objective_free(_ obj: OpaquePointer?) {
    release(obj, as: ObjectiveHandle.self)
}
