/// Where a run is, handed to the progress closure after every update. (Not `Progress`, so
/// that it never clashes with Foundation's.)
public struct RunProgress: Sendable {
    /// Updates applied so far (1 at the first call).
    public var iteration: UInt64
    /// Completed passes over the samples (sampled runs); in full-batch runs every update is one.
    public var epoch: UInt64
    /// The loss the update used (a batch's mean loss in sampled runs).
    public var loss: Double
    /// The Euclidean norm of that gradient, before clipping.
    public var gradientNorm: Double
    /// The learning rate the update used.
    public var learningRate: Double

    init(_ info: ProgressInfo) {
        iteration = info.iteration
        epoch = info.epoch
        loss = info.loss
        gradientNorm = info.gradientNorm
        learningRate = info.learningRate
    }
}

/// What the progress closure tells the run.
public enum ProgressAction: Sendable {
    /// Go on with the next update.
    case `continue`
    /// Stop now; the report's stop reason is `.progress`.
    case stop
}
