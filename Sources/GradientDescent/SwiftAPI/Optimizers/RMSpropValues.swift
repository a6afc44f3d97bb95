/// RMSprop (`torch.optim.RMSprop`, PyTorch's defaults).
public struct RMSprop: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The smoothing constant of the squared-gradient average.
    public var alpha: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// The momentum factor; 0 turns momentum off.
    public var momentum: Double
    /// Normalize by the estimated variance instead of the second moment.
    public var centered: Bool
    /// Ascend instead of descend.
    public var maximize: Bool

    /// RMSprop with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false, maximize: Bool = false) {
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
    }

    /// "rmsprop".
    public var ruleName: String { "rmsprop" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("alpha", alpha), ("eps", eps), ("weight_decay", weightDecay), ("momentum", momentum),
         ("centered", centered.hyperparameterValue), ("maximize", maximize.hyperparameterValue)]
    }
}
