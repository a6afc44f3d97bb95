/// Adam with Nesterov momentum (`torch.optim.NAdam`, PyTorch's defaults).
public struct NAdam: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The decay rates of the first and second moment estimates.
    public var betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// The momentum schedule's decay (psi).
    public var momentumDecay: Double
    /// Ascend instead of descend.
    public var maximize: Bool
    /// Shrink x by (1 - lr * weightDecay) instead of adding weightDecay * x to the gradient.
    public var decoupledWeightDecay: Bool

    /// NAdam with PyTorch's arguments and defaults.
    public init(lr: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, momentumDecay: Double = 4e-3, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentumDecay = momentumDecay
        self.maximize = maximize
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// "nadam".
    public var ruleName: String { "nadam" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("beta1", betas.0), ("beta2", betas.1), ("eps", eps), ("weight_decay", weightDecay), ("momentum_decay", momentumDecay),
         ("maximize", maximize.hyperparameterValue),
         ("decoupled_weight_decay", decoupledWeightDecay.hyperparameterValue)]
    }
}
