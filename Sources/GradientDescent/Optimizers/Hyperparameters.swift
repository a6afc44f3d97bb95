/// One hyper-parameter of an update rule: its key (PyTorch's argument name), its default
/// (PyTorch's) and the values its constructor accepts.
struct Hyperparameter: Sendable {
    /// The values a hyper-parameter accepts. Every domain excludes NaN and infinities.
    enum Domain: Sendable {
        /// Any finite value (SGD's dampening: PyTorch does not bound it).
        case finite
        /// Finite and >= 0 (lr, eps, weight_decay, momentum, lr_decay, ...).
        case nonNegative
        /// 0 <= value < 1 (beta1, beta2).
        case halfOpenUnitInterval
        /// 0 <= value <= 1 (rho, alpha).
        case closedUnitInterval
        /// Exactly 0 or 1 (amsgrad, nesterov, centered, maximize).
        case boolean
        /// Finite and > 0 (a schedule's gamma).
        case positive
        /// 0 < value <= 1 (LinearLR's start_factor, ConstantLR's factor).
        case openClosedUnitInterval
        /// A whole number >= 0, exactly representable (patience, cooldown, total_iters).
        case nonNegativeInteger
        /// A whole number >= 1, exactly representable (step_size, t_max).
        case positiveInteger
    }

    var key: String
    var defaultValue: Double
    var domain: Domain

    init(_ key: String, _ defaultValue: Double, _ domain: Domain) {
        self.key = key
        self.defaultValue = defaultValue
        self.domain = domain
    }

    /// Checks `value` against the domain; the message names the key and the value.
    func check(_ value: Double) throws(GradientDescentError) {
        let accepted: Bool
        let requirement: String
        switch domain {
        case .finite:
            accepted = value.isFinite
            requirement = "must be finite"
        case .nonNegative:
            accepted = value.isFinite && value >= 0
            requirement = "must be finite and >= 0"
        case .halfOpenUnitInterval:
            accepted = value >= 0 && value < 1
            requirement = "must be in [0, 1)"
        case .closedUnitInterval:
            accepted = value >= 0 && value <= 1
            requirement = "must be in [0, 1]"
        case .boolean:
            accepted = value == 0 || value == 1
            requirement = "must be 0 or 1"
        case .positive:
            accepted = value.isFinite && value > 0
            requirement = "must be finite and > 0"
        case .openClosedUnitInterval:
            accepted = value > 0 && value <= 1
            requirement = "must be in (0, 1]"
        case .nonNegativeInteger:
            accepted = value >= 0 && value <= 0x1p53 && value == value.rounded(.towardZero)
            requirement = "must be a whole number >= 0"
        case .positiveInteger:
            accepted = value >= 1 && value <= 0x1p53 && value == value.rounded(.towardZero)
            requirement = "must be a whole number >= 1"
        }
        guard accepted else {
            throw GradientDescentError(.invalidArgument, "\(key) \(requirement), got \(value)")
        }
    }
}

/// The hyper-parameter values of one optimizer (or schedule), in the rule's key order.
///
/// Rules read values by position (`values[Key.lr.rawValue]`, once per step) so that a step
/// never searches strings; the C layer and the loop go through `index(of:)`.
struct Hyperparameters: Sendable {
    let rule: String
    let specifications: [Hyperparameter]
    /// What owns the values, for messages: "optimizer" or "schedule".
    let owner: String
    private(set) var values: [Double]

    init(rule: String, specifications: [Hyperparameter], owner: String = "optimizer") {
        self.rule = rule
        self.specifications = specifications
        self.owner = owner
        self.values = specifications.map(\.defaultValue)
    }

    var keys: [String] { specifications.map(\.key) }

    func index(of key: String) throws(GradientDescentError) -> Int {
        guard let index = specifications.firstIndex(where: { $0.key == key }) else {
            throw GradientDescentError(
                .unknownKey,
                "unknown key '\(key)' for \(owner) '\(rule)'; valid keys: \(keys.joined(separator: ", "))")
        }
        return index
    }

    func value(of key: String) throws(GradientDescentError) -> Double {
        values[try index(of: key)]
    }

    /// Sets a value after checking it against its domain; on failure nothing changes.
    mutating func set(_ key: String, to value: Double) throws(GradientDescentError) {
        let index = try index(of: key)
        try specifications[index].check(value)
        values[index] = value
    }

    /// Sets a value without checking it (the learning rate driven by a schedule).
    mutating func setUnchecked(at index: Int, to value: Double) {
        values[index] = value
    }

    subscript<Key: RawRepresentable>(key: Key) -> Double where Key.RawValue == Int {
        values[key.rawValue]
    }

    /// A boolean hyper-parameter (stored as 0 or 1).
    func flag<Key: RawRepresentable>(_ key: Key) -> Bool where Key.RawValue == Int {
        values[key.rawValue] != 0
    }
}
