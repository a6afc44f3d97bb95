/// What the progress callback sees after every update.
public struct ProgressInfo {
    /// Updates applied so far (1 at the first call).
    public var iteration: UInt64
    /// Completed passes over the samples.
    public var epoch: UInt64
    /// The loss the update used.
    public var loss: Double
    /// The norm of that gradient, before clipping.
    public var gradientNorm: Double
    /// The learning rate the update used.
    public var learningRate: Double
    /// The iterate after the update; valid only during the call.
    public var x: UnsafeBufferPointer<Double>
}

/// Options of a run; the C header's `gd_options` documents each field and the order in
/// which the criteria are checked. A limit of 0 turns its criterion off.
public struct MinimizeOptions {
    /// 0 = full batch; 1 = SGD; k = mini-batch of k samples.
    public var batchSize: Int = 0
    /// Stop after this many updates (0: no limit).
    public var maxIterations: UInt64 = 10_000
    /// Stop after this many epochs (0: no limit).
    public var maxEpochs: UInt64 = 0
    /// Stop when the full gradient's norm is at or below this (0: off).
    public var gradientTolerance: Double = 0
    /// Stop when the loss changes by at most this, relative with a floor of 1, `patience` times in a row (0: off).
    public var lossTolerance: Double = 0
    /// Consecutive checks `lossTolerance` needs (>= 1).
    public var patience: UInt64 = 1
    /// Stop when the loss is at or below this (-infinity: off).
    public var targetLoss: Double = -.infinity
    /// Seconds of wall clock.
    public var timeLimit: Double = 0
    /// Seed of the batch order's xoshiro256** generator.
    public var seed: UInt64 = 0
    /// Shuffle the samples every epoch (else visit them in order).
    public var shuffle: Bool = true
    /// Called after every update; return true to stop the run.
    public var progress: ((ProgressInfo) -> Bool)? = nil

    // Training controls

    /// Sets the optimizer's lr before every update; nil keeps the optimizer's lr.
    public var schedule: Schedule? = nil
    /// Step the schedule once per epoch (with the epoch's mean batch loss) instead of once per
    /// update. In full-batch runs every update is a pass over the data, so both are the same.
    public var schedulePerEpoch: Bool = false
    /// Applied to each gradient before the update.
    public var clipping = GradientClipping()
    /// What a non-finite loss or gradient does: fail the run, or skip the step.
    public var nonFinitePolicy: NonFinitePolicy = .fail
    /// With `.skip`: the run fails after this many rejected evaluations in a row (>= 1).
    public var maxConsecutiveSkips: UInt64 = 10
    /// Return the iterate with the lowest full loss seen instead of the last one.
    public var keepBest: Bool = false
    /// Continue from this state and leave the run's position in it; nil starts afresh.
    public var runState: RunState? = nil

    // Bounds and line searches

    /// A box for x: the start is projected into it, every first-order update is followed by
    /// a projection, and lbfgs runs its bounded form; nil: unbounded.
    public var bounds: Bounds? = nil

    // Data-parallel runs

    /// The processes this run is one of, each over its own rows (nil: one process). Every
    /// evaluation is combined across them before the criteria, clipping and update see it.
    public var reducer: Reducer? = nil

    /// Every field at its default.
    public init() {}

    /// Checks each field against its range and against the objective it will drive.
    public func validate(sampleCount: Int) throws(GradientDescentError) {
        if batchSize < 0 {
            throw GradientDescentError(.invalidArgument, "batch_size must be >= 0, got \(batchSize)")
        }
        if batchSize > 0 && sampleCount == 0 {
            throw GradientDescentError(.invalidArgument,
                "batch_size is \(batchSize) but the objective has no samples; use 0 (full batch) or a sampled objective")
        }
        if batchSize > sampleCount {
            throw GradientDescentError(.invalidArgument,
                "batch_size must be <= the sample count \(sampleCount), got \(batchSize)")
        }
        if !(gradientTolerance >= 0) || gradientTolerance.isInfinite {
            throw GradientDescentError(.invalidArgument, "gradient_tolerance must be finite and >= 0, got \(gradientTolerance)")
        }
        if !(lossTolerance >= 0) || lossTolerance.isInfinite {
            throw GradientDescentError(.invalidArgument, "loss_tolerance must be finite and >= 0, got \(lossTolerance)")
        }
        if patience == 0 {
            throw GradientDescentError(.invalidArgument, "patience must be >= 1, got 0")
        }
        if targetLoss.isNaN || targetLoss == .infinity {
            throw GradientDescentError(.invalidArgument, "target_loss must be finite or -inf (off), got \(targetLoss)")
        }
        if !(timeLimit >= 0) || timeLimit.isInfinite {
            throw GradientDescentError(.invalidArgument, "time_limit must be finite and >= 0, got \(timeLimit)")
        }
        try clipping.validate()
        if maxConsecutiveSkips == 0 {
            throw GradientDescentError(.invalidArgument, "max_consecutive_skips must be >= 1, got 0")
        }
        try schedule?.validate()
        // A full-batch run counts no epochs, so max_epochs alone would never stop it.
        let epochsStop = maxEpochs > 0 && batchSize > 0
        if maxIterations == 0 && !epochsStop && gradientTolerance == 0 && lossTolerance == 0
            && targetLoss == -.infinity && timeLimit == 0 && progress == nil {
            if maxEpochs > 0 {
                throw GradientDescentError(.invalidArgument,
                    "no stopping criterion: max_epochs is \(maxEpochs) but a full-batch run (batch_size 0) counts no epochs; set max_iterations, a tolerance, target_loss, time_limit or a progress callback")
            }
            throw GradientDescentError(.invalidArgument,
                "no stopping criterion: set max_iterations, max_epochs, a tolerance, target_loss, time_limit or a progress callback")
        }
    }
}

/// What a run did.
public struct Report: Sendable {
    /// Why the run stopped.
    public var stopReason: StopReason = .none
    /// Updates applied.
    public var iterations: UInt64 = 0
    /// Epochs completed.
    public var epochs: UInt64 = 0
    /// Calls to the objective.
    public var evaluations: UInt64 = 0
    /// Objective at the returned x, over all samples.
    public var loss: Double = .nan
    /// Lowest full loss seen.
    public var bestLoss: Double = .infinity
    /// The norm of the full gradient at the returned x (NaN when not evaluated there).
    public var gradientNorm: Double = .nan
    /// Wall-clock seconds of the run.
    public var seconds: Double = 0
    /// Updates applied before the iterate with the lowest full loss (0: the starting point).
    public var bestIteration: UInt64 = 0
    /// Evaluations rejected as non-finite under the skip policy.
    public var skippedSteps: UInt64 = 0
    /// Updates whose gradient clipping changed.
    public var clippedSteps: UInt64 = 0
    /// True when x is the best iterate (keepBest) rather than the last one.
    public var returnedBest: Bool = false
    /// True when the starting x was outside the bounds and was projected into them.
    public var x0Projected: Bool = false
    /// Set when the run ended by a failure (callback abort, non-finite value); x then holds
    /// the last iterate whose loss and gradient were finite.
    public var failure: GradientDescentError? = nil

    /// An empty report, filled by a run.
    public init() {}
}
