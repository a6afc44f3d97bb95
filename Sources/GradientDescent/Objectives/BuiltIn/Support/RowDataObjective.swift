/// What the data objectives (LeastSquares, LogisticRegression, SoftmaxRegression) share: a
/// sampled objective over the rows of borrowed data, evaluated by `RowPasses` (one pass per
/// batch, two threads for large full passes). Each subclass checks its data and picks its
/// kernel; the closures are formed where the kernel type is known, so the passes stay
/// specialized code.
public class RowDataObjective: Objective {
    /// The number of parameters.
    public let dimension: Int
    /// The data's rows.
    public let sampleCount: Int
    private let evaluateAll: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?)
        throws(GradientDescentError) -> Double
    private let evaluateBatch: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?,
                                UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double

    init<Kernel: RowKernel>(passes: RowPasses<Kernel>) {
        dimension = passes.kernel.dimension
        sampleCount = passes.sampleCount
        evaluateAll = { x, gradient throws(GradientDescentError) in
            try passes.full(theta: x, gradient: gradient)
        }
        evaluateBatch = { x, gradient, samples throws(GradientDescentError) in
            try passes.batch(theta: x, gradient: gradient, samples: samples)
        }
    }

    /// The mean loss (and gradient) over every row.
    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        try evaluateAll(x, gradient)
    }

    /// The mean loss (and gradient) over the rows in `samples`.
    public func evaluate(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                         samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        try evaluateBatch(x, gradient, samples)
    }
}
