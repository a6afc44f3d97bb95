/// Adamax, Adam with the infinity norm (`torch.optim.Adamax`, PyTorch's defaults).
public struct Adamax: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The decay rates of the first and second moment estimates.
    public var betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Ascend instead of descend.
    public var maximize: Bool

    /// Adamax with PyTorch's arguments and defaults.
    public init(lr: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, maximize: Bool = false) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.maximize = maximize
    }

    /// "adamax".
    public var ruleName: String { "adamax" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("beta1", betas.0), ("beta2", betas.1), ("eps", eps), ("weight_decay", weightDecay),
         ("maximize", maximize.hyperparameterValue)]
    }
}
