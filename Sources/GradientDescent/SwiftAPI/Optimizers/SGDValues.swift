/// Stochastic gradient descent with optional momentum and Nesterov momentum
/// (`torch.optim.SGD`, PyTorch's defaults).
public struct SGD: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The momentum factor; 0 turns momentum off.
    public var momentum: Double
    /// Dampening of the momentum's new gradient.
    public var dampening: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Nesterov momentum (needs `momentum > 0` and `dampening == 0`).
    public var nesterov: Bool
    /// Ascend instead of descend.
    public var maximize: Bool

    /// SGD with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false, maximize: Bool = false) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
    }

    /// "sgd".
    public var ruleName: String { "sgd" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("momentum", momentum), ("dampening", dampening), ("weight_decay", weightDecay),
         ("nesterov", nesterov.hyperparameterValue), ("maximize", maximize.hyperparameterValue)]
    }
}
