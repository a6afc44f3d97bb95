/// Rectified Adam (`torch.optim.RAdam`, PyTorch's defaults).
public struct RAdam: OptimizerConfiguration {
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
    /// Shrink x by (1 - lr * weightDecay) instead of adding weightDecay * x to the gradient.
    public var decoupledWeightDecay: Bool

    /// RAdam with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, maximize: Bool = false, decoupledWeightDecay: Bool = false) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.maximize = maximize
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// "radam".
    public var ruleName: String { "radam" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("beta1", betas.0), ("beta2", betas.1), ("eps", eps), ("weight_decay", weightDecay),
         ("maximize", maximize.hyperparameterValue),
         ("decoupled_weight_decay", decoupledWeightDecay.hyperparameterValue)]
    }
}
