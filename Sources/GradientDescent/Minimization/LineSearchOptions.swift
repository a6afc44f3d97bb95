extension MinimizeOptions {
    /// What the line searches and bounds need from a run: full evaluations for lbfgs and for
    /// line_search = 1; no schedule and no clipping for lbfgs (its step comes from its
    /// search); bounds of the run's dimension.
    func validate(for optimizer: Optimizer, dimension: Int) throws(GradientDescentError) {
        if let bounds, bounds.dimension != dimension {
            throw GradientDescentError(.dimensionMismatch,
                "the bounds have \(bounds.dimension) entries; x has \(dimension)")
        }
        if optimizer.isQuasiNewton {
            if batchSize > 0 {
                throw GradientDescentError(.invalidArgument,
                    "lbfgs needs the loss over all samples (its line search compares losses at several points), got batch_size \(batchSize); use batch_size 0, which evaluates a sampled objective over all its samples")
            }
            if schedule != nil {
                throw GradientDescentError(.invalidArgument,
                    "lbfgs takes no schedule: its step length comes from its line search (lr only scales the first trial step)")
            }
            if clipping.isEnabled {
                throw GradientDescentError(.invalidArgument,
                    "lbfgs takes no gradient clipping: a clipped gradient breaks its curvature pairs; bound the variables instead")
            }
        } else if optimizer.usesLineSearch && batchSize > 0 {
            throw GradientDescentError(.invalidArgument,
                "line_search needs the loss over all samples, got batch_size \(batchSize); use batch_size 0")
        }
    }
}
