/// A loss over `dimension` parameters that the minimizer drives.
///
/// Full-batch objectives implement `evaluate(at:gradient:)`. Objectives over data also have
/// `sampleCount > 0` and implement `evaluate(at:gradient:samples:)`, the loss and gradient
/// averaged over a batch of sample indices. During one run the minimizer passes the same
/// `x`, `gradient` and `samples` buffers on every call (bindings wrap them once).
public protocol Objective: AnyObject {
    /// Number of parameters.
    var dimension: Int { get }
    /// Number of samples; 0 when the objective has no notion of samples (full batch only).
    var sampleCount: Int { get }

    /// f(x); when `gradient` is non-nil, ∇f(x) written into it. Over all samples when the
    /// objective has samples.
    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double

    /// The mean of f and ∇f over `samples` (indices below `sampleCount`).
    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double
}

extension Objective {
    /// No samples: a full-batch objective.
    public var sampleCount: Int { 0 }

    /// Throws `.invalidArgument`: an objective without samples has no batches.
    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?,
                         samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        throw GradientDescentError(.invalidArgument, "this objective has no samples; use a batch size of 0 (full batch)")
    }
}
