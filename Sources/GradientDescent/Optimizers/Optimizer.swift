/// An update rule of torch.optim (single-tensor path, PyTorch's defaults) with its
/// hyper-parameters and its state, for `dimension` parameters.
///
/// Hyper-parameters are set by PyTorch's argument names (`betas` split into `beta1` and
/// `beta2`, booleans as 0 or 1) and checked when set; combinations are checked by `validate()`.
/// State is created lazily exactly as PyTorch creates it, so trajectories match
/// `torch.optim` run in float64 to rounding. `step` never allocates.
public final class Optimizer {
    /// Every rule name, in the order the header lists them.
    public static let ruleNames: [String] = [
        "sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam",
    ]

    public let rule: String
    public let dimension: Int

    let updateRule: any UpdateRule
    var hyperparameters: Hyperparameters
    let state: OptimizerState

    // Every rule's first key is "lr" (checked by a test), so schedules need no lookup.
    private static let learningRateIndex = 0

    /// An optimizer running a built-in rule, or a custom rule registered under `rule`
    /// (`Optimizer.register(_:)`); built-in names win.
    public convenience init(rule: String, dimension: Int) throws(GradientDescentError) {
        guard let updateRule = Optimizer.makeRule(named: rule) else {
            let valid = Optimizer.ruleNames + RuleRegistry.names
            throw GradientDescentError(
                .unknownName,
                "unknown optimizer '\(rule)'; valid names: \(valid.joined(separator: ", "))")
        }
        try self.init(updateRule, dimension: dimension)
    }

    /// An optimizer running `custom` directly, without registering it.
    public convenience init(custom: CustomRule, dimension: Int) throws(GradientDescentError) {
        try self.init(CallbackUpdateRule(custom), dimension: dimension)
    }

    private init(_ updateRule: any UpdateRule, dimension: Int) throws(GradientDescentError) {
        guard dimension > 0 else {
            throw GradientDescentError(.invalidArgument, "dimension must be > 0, got \(dimension)")
        }
        let layout = updateRule.stateLayout
        let (doubles, overflow) = dimension.multipliedReportingOverflow(by: max(1, layout.elementsPerParameter))
        if overflow || doubles > Int.max / 64 {
            throw GradientDescentError(.outOfMemory,
                "\(dimension) parameters with \(layout.elementsPerParameter) state values each are too many to allocate")
        }
        self.rule = updateRule.name
        self.dimension = dimension
        self.updateRule = updateRule
        self.hyperparameters = Hyperparameters(rule: updateRule.name, specifications: updateRule.hyperparameters)
        self.state = try OptimizerState(dimension: dimension, layout: layout)
    }

    static func makeRule(named name: String) -> (any UpdateRule)? {
        switch name {
        case "sgd": SGD()
        case "adam": Adam(decoupled: false)
        case "adamw": Adam(decoupled: true)
        case "rmsprop": RMSprop()
        case "adagrad": Adagrad()
        case "adadelta": Adadelta()
        case "adamax": Adamax()
        case "nadam": NAdam()
        case "radam": RAdam()
        default: RuleRegistry.rule(named: name).map { CallbackUpdateRule($0) }
        }
    }

    /// The rule's hyper-parameter keys, in a stable order ("lr" first).
    public var keys: [String] { hyperparameters.keys }

    /// Sets a hyper-parameter. Throws `.unknownKey` for a key the rule does not have and
    /// `.invalidArgument` for a value outside the range PyTorch's constructor accepts; the
    /// value is then unchanged. State is kept.
    public func set(_ key: String, to value: Double) throws(GradientDescentError) {
        try hyperparameters.set(key, to: value)
    }

    /// The current value of a hyper-parameter; `.unknownKey` for an unknown key.
    public func value(of key: String) throws(GradientDescentError) -> Double {
        try hyperparameters.value(of: key)
    }

    /// The "lr" key, for schedules; the setter does not validate.
    public var learningRate: Double {
        get { hyperparameters.values[Optimizer.learningRateIndex] }
        set { hyperparameters.setUnchecked(at: Optimizer.learningRateIndex, to: newValue) }
    }

    /// Rejects combinations PyTorch rejects (SGD: nesterov needs momentum > 0 and
    /// dampening = 0). Call before stepping after hyper-parameters changed.
    public func validate() throws(GradientDescentError) {
        try updateRule.validate(hyperparameters)
    }

    /// One update of `x` in place from `gradient`. The caller guarantees that both counts equal
    /// `dimension`, that the buffers do not overlap and that `validate()` passed. (Mismatched
    /// counts are caught in debug builds and ignored in release builds, never overrun.)
    /// Throws only when a custom rule's callback fails; x and the state are then as the
    /// callback left them, and the step still counts.
    public func update(_ x: UnsafeMutableBufferPointer<Double>,
                       gradient: UnsafeBufferPointer<Double>) throws(GradientDescentError) {
        guard x.count == dimension, gradient.count == dimension,
              let xBase = x.baseAddress, let gradientBase = gradient.baseAddress
        else {
            assertionFailure("Optimizer.update: x has \(x.count) and gradient \(gradient.count) elements, expected \(dimension)")
            return
        }
        state.stepCount += 1
        try updateRule.update(xBase, gradient: gradientBase, count: dimension,
                              hyperparameters: hyperparameters, state: state)
    }

    /// `update(_:gradient:)` for callers that know the rule cannot fail: every built-in rule.
    /// A custom rule's failure is dropped here; use `update` to see it.
    public func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>) {
        try? update(x, gradient: gradient)
    }

    /// Forgets moments, accumulators and the step count; hyper-parameters are kept.
    public func reset() {
        state.reset()
    }

    /// Updates applied since creation or the last `reset()`.
    public var stepCount: Int { state.stepCount }
}
