import CGradientDescent
import GradientDescent

@c @implementation
public func gd_check_gradient(_ obj: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int, _ step: Double,
                              _ result: UnsafeMutablePointer<gd_gradient_check>?) -> Int32 {
    boundary("gd_check_gradient") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        let x = try required(x, "x")
        let result = try required(result, "result")
        let declared = UnsafeRawPointer(result).load(as: Int.self)
        if declared < MemoryLayout<gd_gradient_check>.size {
            throw GradientDescentError(.invalidArgument,
                "result->struct_size is \(shownSize(declared)), expected at least \(MemoryLayout<gd_gradient_check>.size)")
        }
        if n != objective.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "n is \(UInt(bitPattern: n)) but the objective has dimension \(objective.dimension)")
        }
        let found = try checkGradient(objective, at: UnsafeBufferPointer(start: x, count: n), step: step)
        result.pointee = gd_gradient_check(
            struct_size: declared, worst_index: found.worstIndex, analytic: found.analytic,
            numeric: found.numeric, abs_error: found.absoluteError, rel_error: found.relativeError,
            error: found.error, evaluations: UInt64(found.evaluations))
    }
}
