/// Adadelta (`torch.optim.Adadelta`, PyTorch's defaults).
public struct Adadelta: OptimizerConfiguration {
    /// The learning rate (a scale on the computed step).
    public var lr: Double
    /// The decay rate of the running averages.
    public var rho: Double
    /// Added inside the square roots for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Ascend instead of descend.
    public var maximize: Bool

    /// Adadelta with PyTorch's arguments and defaults.
    public init(lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0,
                maximize: Bool = false) {
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.weightDecay = weightDecay
        self.maximize = maximize
    }

    /// "adadelta".
    public var ruleName: String { "adadelta" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("rho", rho), ("eps", eps), ("weight_decay", weightDecay),
         ("maximize", maximize.hyperparameterValue)]
    }
}
