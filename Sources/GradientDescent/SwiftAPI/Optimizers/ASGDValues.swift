/// Averaged stochastic gradient descent (`torch.optim.ASGD`, PyTorch's defaults).
public struct ASGD: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The decay term.
    public var lambd: Double
    /// The power for the eta update.
    public var alpha: Double
    /// The step at which averaging starts.
    public var t0: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Ascend instead of descend.
    public var maximize: Bool

    /// ASGD with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-2, lambd: Double = 1e-4, alpha: Double = 0.75, t0: Double = 1e6,
                weightDecay: Double = 0, maximize: Bool = false) {
        self.lr = lr
        self.lambd = lambd
        self.alpha = alpha
        self.t0 = t0
        self.weightDecay = weightDecay
        self.maximize = maximize
    }

    /// "asgd".
    public var ruleName: String { "asgd" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("lambd", lambd), ("alpha", alpha), ("t0", t0), ("weight_decay", weightDecay),
         ("maximize", maximize.hyperparameterValue)]
    }
}
