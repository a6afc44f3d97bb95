/// Adam (`torch.optim.Adam`, PyTorch's defaults).
public struct Adam: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The decay rates of the first and second moment estimates.
    public var betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Use the maximum of past second moments (AMSGrad).
    public var amsgrad: Bool
    /// Ascend instead of descend.
    public var maximize: Bool
    /// Shrink x by (1 - lr * weightDecay) instead of adding weightDecay * x to the gradient.
    public var decoupledWeightDecay: Bool

    /// Adam with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// "adam".
    public var ruleName: String { "adam" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("beta1", betas.0), ("beta2", betas.1), ("eps", eps), ("weight_decay", weightDecay),
         ("amsgrad", amsgrad.hyperparameterValue), ("maximize", maximize.hyperparameterValue),
         ("decoupled_weight_decay", decoupledWeightDecay.hyperparameterValue)]
    }
}
