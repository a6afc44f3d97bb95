import CGradientDescent
import GradientDescent

@c @implementation
public func gd_objective_new_finite_difference(_ fn: gd_loss_fn?, _ user: UnsafeMutableRawPointer?,
                                               _ n: Int, _ points: Int32,
                                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_new_finite_difference") { () throws(GradientDescentError) in
        let function = try required(fn, "fn")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        if points != 2 && points != 3 {
            throw GradientDescentError(.invalidArgument,
                "points must be 2 (forward differences) or 3 (central differences), got \(points)")
        }
        let objective = try FiniteDifferenceObjective(dimension: count, points: Int(points)) {
            (x: UnsafeBufferPointer<Double>) throws(GradientDescentError) -> Double in
            var loss = Double.nan
            let code = function(user, x.baseAddress, count, &loss)
            if code != 0 {
                throw GradientDescentError(.callback, "the loss callback returned \(code)")
            }
            return loss
        }
        out.pointee = retainedHandle(ObjectiveHandle(objective))
    }
}
