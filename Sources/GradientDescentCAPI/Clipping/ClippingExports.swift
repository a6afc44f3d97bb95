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

@c @implementation
public func gd_clip_grad_norm_ex(_ grad: UnsafeMutablePointer<Double>?, _ n: Int, _ max_norm: Double,
                                 _ norm_type: Double, _ error_if_nonfinite: Int32,
                                 _ total_norm: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_clip_grad_norm_ex") { () throws(GradientDescentError) in
        let grad = try required(grad, "grad")
        let count = try positiveCount(n, "n")
        if !(max_norm >= 0) || max_norm.isInfinite {
            throw GradientDescentError(.invalidArgument, "max_norm must be finite and >= 0, got \(max_norm)")
        }
        try GradientClipping.checkNormType(norm_type)
        let errorIfNonfinite = try flag(error_if_nonfinite, "error_if_nonfinite")
        let gradient = UnsafeMutableBufferPointer(start: grad, count: count)
        let total = GradientClipping.totalNorm(UnsafeBufferPointer(gradient), normType: norm_type)
        total_norm?.pointee = total
        if errorIfNonfinite && !total.isFinite {
            throw GradientDescentError(.nonFinite,
                "the total norm of order \(norm_type) is \(total), so the gradient cannot be clipped (error_if_nonfinite)")
        }
        GradientClipping.clipNorm(gradient, norm: total, maxNorm: max_norm)
    }
}

@c @implementation
public func gd_grad_norm(_ grad: UnsafePointer<Double>?, _ n: Int, _ norm_type: Double,
                         _ norm: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_grad_norm") { () throws(GradientDescentError) in
        let grad = try required(grad, "grad")
        let count = try positiveCount(n, "n")
        let norm = try required(norm, "norm")
        try GradientClipping.checkNormType(norm_type)
        norm.pointee = GradientClipping.totalNorm(UnsafeBufferPointer(start: grad, count: count), normType: norm_type)
    }
}
