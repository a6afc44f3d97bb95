/// Adagrad (`torch.optim.Adagrad`, PyTorch's defaults).
public struct Adagrad: OptimizerConfiguration {
    /// The learning rate.
    public var lr: Double
    /// The learning rate's decay per step.
    public var lrDecay: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// The starting value of the squared-gradient sums.
    public var initialAccumulatorValue: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Ascend instead of descend.
    public var maximize: Bool

    /// Adagrad with PyTorch's arguments and defaults.
    public init(lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) {
        self.lr = lr
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        self.maximize = maximize
    }

    /// "adagrad".
    public var ruleName: String { "adagrad" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("lr_decay", lrDecay), ("weight_decay", weightDecay),
         ("initial_accumulator_value", initialAccumulatorValue), ("eps", eps),
         ("maximize", maximize.hyperparameterValue)]
    }
}
