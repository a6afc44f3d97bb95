/// Adam with decoupled weight decay (`torch.optim.AdamW`, PyTorch's defaults).
public struct AdamW: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The decay rates of the first and second moment estimates.
    public var betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Decoupled weight decay: x shrinks by lr · weightDecay before the update.
    public var weightDecay: Double
    /// Use the maximum of past second moments (AMSGrad).
    public var amsgrad: Bool
    /// Ascend instead of descend.
    public var maximize: Bool

    /// AdamW with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
    }

    /// "adamw".
    public var ruleName: String { "adamw" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("beta1", betas.0), ("beta2", betas.1), ("eps", eps), ("weight_decay", weightDecay),
         ("amsgrad", amsgrad.hyperparameterValue), ("maximize", maximize.hyperparameterValue)]
    }
}
