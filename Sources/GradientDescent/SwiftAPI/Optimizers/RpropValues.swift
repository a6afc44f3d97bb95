/// Resilient backpropagation (`torch.optim.Rprop`, PyTorch's defaults).
public struct Rprop: OptimizerConfiguration {
    /// The initial step size (read by the first step only, as PyTorch's Rprop reads it).
    public var lr: Double
    /// The multiplicative decrease and increase factors (etaminus, etaplus).
    public var etas: (Double, Double)
    /// The minimal and maximal step sizes.
    public var stepSizes: (Double, Double)
    /// Ascend instead of descend.
    public var maximize: Bool

    /// Rprop with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-2, etas: (Double, Double) = (0.5, 1.2),
                stepSizes: (Double, Double) = (1e-6, 50), maximize: Bool = false) {
        self.lr = lr
        self.etas = etas
        self.stepSizes = stepSizes
        self.maximize = maximize
    }

    /// "rprop".
    public var ruleName: String { "rprop" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("etaminus", etas.0), ("etaplus", etas.1), ("step_size_min", stepSizes.0),
         ("step_size_max", stepSizes.1), ("maximize", maximize.hyperparameterValue)]
    }
}
