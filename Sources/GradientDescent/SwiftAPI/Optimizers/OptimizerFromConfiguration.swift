extension Optimizer {
    /// An optimizer running `configuration` for `dimension` parameters, its state empty.
    /// Throws `.invalidArgument` for a dimension of 0 or a value PyTorch's constructor
    /// rejects (a negative lr, betas outside [0, 1), Nesterov without momentum, ...).
    public convenience init(_ configuration: some OptimizerConfiguration,
                            dimension: Int) throws(GradientDescentError) {
        try self.init(rule: configuration.ruleName, dimension: dimension)
        for (key, value) in configuration.hyperparameters {
            try set(key, to: value)
        }
        try validate()
    }

    /// One update of `x` in place from `gradient`, both of `dimension` entries (else
    /// `.dimensionMismatch`, and nothing changes).
    public func step(_ x: inout [Double], gradient: [Double]) throws(GradientDescentError) {
        guard x.count == dimension, gradient.count == dimension else {
            throw GradientDescentError(.dimensionMismatch,
                "x has \(x.count) and gradient \(gradient.count) entries; the optimizer has dimension \(dimension)")
        }
        try validate()
        let failure: GradientDescentError? = x.withUnsafeMutableBufferPointer { x in
            gradient.withUnsafeBufferPointer { gradient in
                do throws(GradientDescentError) {
                    try update(x, gradient: gradient)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure { throw failure }
    }
}
