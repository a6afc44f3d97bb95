import CGradientDescent
import GradientDescent

/// A positive finite bound for clipping.
private func bound(_ value: Double, _ name: StaticString) throws(GradientDescentError) -> Double {
    if !(value > 0) || value.isInfinite {
        throw GradientDescentError(.invalidArgument, "\(name) must be finite and > 0, got \(value)")
    }
    return value
}

@c @implementation
public func gd_clip_grad_norm(_ grad: UnsafeMutablePointer<Double>?, _ n: Int, _ max_norm: Double,
                              _ norm: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_clip_grad_norm") { () throws(GradientDescentError) in
        let grad = try required(grad, "grad")
        let count = try positiveCount(n, "n")
        let maxNorm = try bound(max_norm, "max_norm")
        let gradient = UnsafeMutableBufferPointer(start: grad, count: count)
        let total = GradientClipping.norm(UnsafeBufferPointer(gradient))
        if total.isFinite {
            GradientClipping.clipNorm(gradient, norm: total, maxNorm: maxNorm)
        }
        norm?.pointee = total
    }
}

@c @implementation
public func gd_clip_grad_value(_ grad: UnsafeMutablePointer<Double>?, _ n: Int, _ clip_value: Double) -> Int32 {
    boundary("gd_clip_grad_value") { () throws(GradientDescentError) in
        let grad = try required(grad, "grad")
        let count = try positiveCount(n, "n")
        GradientClipping.clipValues(UnsafeMutableBufferPointer(start: grad, count: count),
                                    maxValue: try bound(clip_value, "clip_value"))
    }
}
