/// An update rule of torch.optim (single-tensor path, PyTorch's defaults) with its
/// hyper-parameters and its state, for `dimension` parameters.
///
/// Hyper-parameters are set by PyTorch's argument names (`betas` split into `beta1` and
/// `beta2`, booleans as 0 or 1) and checked when set; combinations are checked by `validate()`.
/// State is created lazily exactly as PyTorch creates it, so trajectories match
/// `torch.optim` run in float64 to rounding. `step` never allocates.
///
/// "lbfgs" is the exception to the per-step protocol: its steps need the objective (a line
/// search), so `minimize` drives it and `update` refuses it; its pairs live in `quasiNewton`.
/// The first-order rules carry the keys of `ArmijoBacktracking` after their own.
public final class Optimizer {
    /// Every rule name, in the order the header lists them.
    public static let ruleNames: [String] = [
        "sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "lbfgs",
        "rprop", "asgd",
    ]

    /// The rule's name ("adam", or a custom rule's).
    public let rule: String
    /// The number of parameters it updates.
    public let dimension: Int

    let updateRule: any UpdateRule
    /// `updateRule.update`, specialized for the rule's type.
    private let updateStep: UpdateStep
    let state: OptimizerState
    /// lbfgs's pairs; nil for the first-order rules. Replaced (at set-up) when history_size
    /// changes.
    var quasiNewton: LBFGSHistory?
    /// The index of the first line-search key of a first-order rule (after the rule's own keys);
    /// nil for lbfgs, whose search is part of the method.
    let lineSearchKeyIndex: Int?

    // The hyper-parameters, kept as their two parts so that an update builds the rule's
    // `Hyperparameters` from a `let` reference and bytes: no retain, no release, and (every
    // access below being a plain load or store) no run-time exclusivity check.
    let schema: HyperparameterSchema
    private var values: HyperparameterValues
    /// True while `values` passed `validate()`; every change of a value clears it.
    private var isValidated = false

    // Parameter groups (ParameterGroups.swift): 0 without groups. With k groups, group 0's
    // values are `values` (so everything that reads the optimizer's values reads group 0's)
    // and group g > 0's are `otherGroupValues[g - 1]`; group g updates
    // x[groupStarts[g] ..< groupStarts[g + 1]] (the last one up to `dimension`).
    var groupCount = 0
    var groupStarts: [Int] = []
    var otherGroupValues: [HyperparameterValues] = []

    /// The hyper-parameters as one value (a copy; assigning one back replaces every value).
    var hyperparameters: Hyperparameters {
        get { Hyperparameters(schema: schema, values: values) }
        set {
            // Only copies of this optimizer's own come back (loadState reads over `get`).
            precondition(newValue.schema === schema, "hyper-parameters of another optimizer")
            values = newValue.values
            isValidated = false
        }
    }

    // Every rule's first key is "lr" (checked by a test), so schedules need no lookup.
    private static let learningRateIndex = 0

    /// An optimizer running a built-in rule, or a custom rule registered under `rule`
    /// (`Optimizer.register(_:)`); built-in names win.
    public convenience init(rule: String, dimension: Int) throws(GradientDescentError) {
        guard let (updateRule, updateStep) = Optimizer.makeRule(named: rule) else {
            let valid = Optimizer.ruleNames + RuleRegistry.names
            throw GradientDescentError(
                .unknownName,
                "unknown optimizer '\(rule)'; valid names: \(valid.joined(separator: ", "))")
        }
        try self.init(updateRule, updateStep, dimension: dimension)
    }

    /// An optimizer running `custom` directly, without registering it.
    public convenience init(custom: CustomRule, dimension: Int) throws(GradientDescentError) {
        let updateRule = CallbackUpdateRule(custom)
        try self.init(updateRule, updateRule.updateStep, dimension: dimension)
    }

    private init(_ updateRule: any UpdateRule, _ updateStep: @escaping UpdateStep,
                 dimension: Int) throws(GradientDescentError) {
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
        self.updateStep = updateStep
        var specifications = updateRule.hyperparameters
        if updateRule.name == LBFGSRule.name {
            lineSearchKeyIndex = nil
            quasiNewton = try LBFGSHistory(dimension: dimension,
                                           capacity: Int(specifications[LBFGSRule.Key.historySize.rawValue].defaultValue))
        } else {
            lineSearchKeyIndex = specifications.count
            specifications += ArmijoBacktracking.hyperparameters
        }
        let hyperparameters = Hyperparameters(rule: updateRule.name, specifications: specifications)
        self.schema = hyperparameters.schema
        self.values = hyperparameters.values
        self.state = try OptimizerState(dimension: dimension, layout: layout)
    }

    /// True for lbfgs: its steps come from `minimize`, not from `update`.
    public var isQuasiNewton: Bool { quasiNewton != nil }

    /// The value of the line-search key at `offset` of a first-order rule.
    func lineSearchValue(_ key: ArmijoBacktracking.Key) -> Double {
        guard let base = lineSearchKeyIndex else { return 0 }
        return values[base + key.rawValue]
    }

    /// True when a first-order rule's line_search key is 1.
    public var usesLineSearch: Bool { lineSearchValue(.lineSearch) != 0 }

    /// A new history when lbfgs's history_size becomes `value` (all or nothing: on failure
    /// the old one is kept).
    func resizeHistory(to value: Double) throws(GradientDescentError) {
        guard let current = quasiNewton, value >= 1, value <= Double(LBFGSRule.maximumHistorySize) else { return }
        let capacity = Int(value)
        if capacity == current.capacity { return }
        quasiNewton = try LBFGSHistory(dimension: dimension, capacity: capacity)
    }

    /// The rule named `name` with its update specialized for its type (made here, where the
    /// type is known).
    static func makeRule(named name: String) -> (any UpdateRule, UpdateStep)? {
        func made<Rule: UpdateRule>(_ rule: Rule) -> (any UpdateRule, UpdateStep) { (rule, rule.updateStep) }
        return switch name {
        case "sgd": made(SGDRule())
        case "adam": made(AdamRule(decoupled: false))
        case "adamw": made(AdamRule(decoupled: true))
        case "rmsprop": made(RMSpropRule())
        case "adagrad": made(AdagradRule())
        case "adadelta": made(AdadeltaRule())
        case "adamax": made(AdamaxRule())
        case "nadam": made(NAdamRule())
        case "radam": made(RAdamRule())
        case LBFGSRule.name: made(LBFGSRule())
        case "rprop": made(RpropRule())
        case "asgd": made(ASGDRule())
        default: RuleRegistry.rule(named: name).map { made(CallbackUpdateRule($0)) }
        }
    }

    /// The rule's hyper-parameter keys, in a stable order ("lr" first).
    public var keys: [String] { schema.keys }

    /// Sets a hyper-parameter, in every parameter group. Throws `.unknownKey` for a key the
    /// rule does not have and `.invalidArgument` for a value outside the range PyTorch's
    /// constructor accepts; the value is then unchanged. State is kept.
    public func set(_ key: String, to value: Double) throws(GradientDescentError) {
        let index = try schema.index(of: key)
        try schema.specifications[index].check(value)
        if isQuasiNewton && index == LBFGSRule.Key.historySize.rawValue {
            if value > Double(LBFGSRule.maximumHistorySize) {
                throw GradientDescentError(.invalidArgument,
                    "history_size must be <= \(LBFGSRule.maximumHistorySize), got \(value)")
            }
            try resizeHistory(to: value)
        }
        values[index] = value
        for group in otherGroupValues.indices {
            otherGroupValues[group][index] = value
        }
        isValidated = false
    }

    /// The current value of a hyper-parameter (group 0's); `.unknownKey` for an unknown key.
    public func value(of key: String) throws(GradientDescentError) -> Double {
        values[try schema.index(of: key)]
    }

    /// The "lr" key (group 0's), for schedules; the setter does not validate.
    public var learningRate: Double {
        get { values[Optimizer.learningRateIndex] }
        set {
            values[Optimizer.learningRateIndex] = newValue
            isValidated = false
        }
    }

    /// Rejects combinations PyTorch rejects (SGD: nesterov needs momentum > 0 and
    /// dampening = 0). Call before stepping after hyper-parameters changed. The verdict is
    /// kept until a value changes, so calling it before every step costs a load.
    public func validate() throws(GradientDescentError) {
        if isValidated { return }
        try updateRule.validate(hyperparameters)
        for (offset, groupValues) in otherGroupValues.enumerated() {
            do {
                try updateRule.validate(Hyperparameters(schema: schema, values: groupValues))
            } catch {
                throw GradientDescentError(error.status, "group \(offset + 1): \(error.message)")
            }
        }
        isValidated = true
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
        if isQuasiNewton { throw LBFGSRule.needsObjective }
        try update(xBase, gradient: gradientBase)
    }

    /// `update(_:gradient:)` for callers that checked the buffers: `dimension` doubles each,
    /// not overlapping, and `validate()` passed (the run loop, the C API).
    @inline(__always)
    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>) throws(GradientDescentError) {
        state.stepCount.countOne()
        if groupCount == 0 {
            try updateStep(x, gradient, dimension, Hyperparameters(schema: schema, values: values), state)
        } else {
            try updateGroups(x, gradient: gradient)
        }
    }

    /// One update of every group in turn, each with its own values and scalars; the step
    /// count (advanced once) is shared, as all of PyTorch's parameters step together.
    private func updateGroups(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>) throws(GradientDescentError) {
        let scalarCount = state.layout.scalars.count
        defer {
            state.groupElementOffset = 0
            state.groupScalarOffset = 0
        }
        for group in 0..<groupCount {
            let start = groupStarts[group]
            let end = group + 1 < groupCount ? groupStarts[group + 1] : dimension
            state.groupElementOffset = start
            state.groupScalarOffset = group * scalarCount
            let groupValues = group == 0 ? values : otherGroupValues[group - 1]
            try updateStep(x + start, gradient + start, end - start,
                           Hyperparameters(schema: schema, values: groupValues), state)
        }
    }

    /// Group `group`'s values (group 0's are the optimizer's own).
    func groupValues(_ group: Int) -> HyperparameterValues {
        group == 0 ? values : otherGroupValues[group - 1]
    }

    /// Replaces group `group`'s values (already checked).
    func setGroupValues(_ group: Int, _ newValues: HyperparameterValues) {
        if group == 0 {
            values = newValues
        } else {
            otherGroupValues[group - 1] = newValues
        }
        isValidated = false
    }

    /// `update(_:gradient:)` for callers that know the rule cannot fail: every built-in rule.
    /// A custom rule's failure is dropped here; use `update` to see it.
    public func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>) {
        try? update(x, gradient: gradient)
    }

    /// Forgets moments, accumulators and the step count; hyper-parameters are kept.
    public func reset() {
        state.reset()
        quasiNewton?.clear()
    }

    /// Updates applied since creation or the last `reset()`.
    public var stepCount: Int { state.stepCount }
}
