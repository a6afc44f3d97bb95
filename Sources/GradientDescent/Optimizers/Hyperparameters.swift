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
        /// 0 < value < 1 (Rprop's etaminus, the Wolfe constants c1 and c2, a backtracking factor).
        case openUnitInterval
        /// Finite and > 1 (Rprop's etaplus).
        case greaterThanOne
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
        case .openUnitInterval:
            accepted = value > 0 && value < 1
            requirement = "must be in (0, 1)"
        case .greaterThanOne:
            accepted = value.isFinite && value > 1
            requirement = "must be finite and > 1"
        }
        guard accepted else {
            throw GradientDescentError(.invalidArgument, "\(key) \(requirement), got \(value)")
        }
    }
}

/// Whose hyper-parameters these are and what they accept: the keys in the rule's order with
/// their defaults and domains. Fixed when the optimizer (or schedule) is made, and shared by
/// every copy of its values.
final class HyperparameterSchema: Sendable {
    let rule: String
    let specifications: [Hyperparameter]
    /// What owns the values, for messages: "optimizer" or "schedule".
    let owner: String

    init(rule: String, specifications: [Hyperparameter], owner: String) {
        self.rule = rule
        self.specifications = specifications
        self.owner = owner
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
}

/// The values of a set of hyper-parameters, in the schema's key order, stored inline.
///
/// Inline rather than in an array so that a copy is a plain copy of bytes: an optimizer hands
/// its rule a `Hyperparameters` on every update, and an array there costs a retain and a
/// release (atomic) per update. Fifteen values and the count fill 128 bytes, which the
/// compiler copies with eight 16-byte moves (one value more and it calls memcpy). No rule or
/// schedule has more than 8 keys; the tests create every one of them, so a rule that outgrew
/// the capacity would trap there (when the rule is made, never on caller input).
struct HyperparameterValues: RandomAccessCollection, Sendable {
    static let capacity = 15

    private var storage = InlineArray<15, Double>(repeating: 0)
    let count: Int

    init(_ values: [Double]) {
        precondition(values.count <= HyperparameterValues.capacity,
                     "a rule or schedule has at most \(HyperparameterValues.capacity) hyper-parameters")
        count = values.count
        for (index, value) in values.enumerated() {
            storage[unchecked: index] = value
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(index: Int) -> Double {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "hyper-parameter index out of range")
            return storage[unchecked: index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "hyper-parameter index out of range")
            storage[unchecked: index] = newValue
        }
    }
}

/// The hyper-parameter values of one optimizer (or schedule), in the rule's key order.
///
/// Rules read values by position (`values[Key.lr.rawValue]`, once per step) so that a step
/// never searches strings; the C layer and the loop go through `index(of:)`. A copy retains
/// only the schema; the values are copied as bytes.
///
/// The memberwise `init(schema:values:)` is what `Optimizer.update` calls on every step: unlike
/// a hand-written initializer (which takes its arguments owned), it lets the compiler build
/// the value around the optimizer's schema without retaining it.
struct Hyperparameters: Sendable {
    let schema: HyperparameterSchema
    var values: HyperparameterValues

    var rule: String { schema.rule }
    var specifications: [Hyperparameter] { schema.specifications }
    var owner: String { schema.owner }
    var keys: [String] { schema.keys }

    func index(of key: String) throws(GradientDescentError) -> Int {
        try schema.index(of: key)
    }

    func value(of key: String) throws(GradientDescentError) -> Double {
        values[try index(of: key)]
    }

    /// Sets a value after checking it against its domain; on failure nothing changes. With
    /// `acceptingDefault` the key's default passes too (a saved state of a required key that
    /// was never set).
    mutating func set(_ key: String, to value: Double,
                      acceptingDefault: Bool = false) throws(GradientDescentError) {
        let index = try index(of: key)
        let specification = specifications[index]
        if !(acceptingDefault && value.bitPattern == specification.defaultValue.bitPattern) {
            try specification.check(value)
        }
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

extension Hyperparameters {
    /// Every key at its default. (In an extension, so that the memberwise initializer stays.)
    init(rule: String, specifications: [Hyperparameter], owner: String = "optimizer") {
        self.init(schema: HyperparameterSchema(rule: rule, specifications: specifications, owner: owner),
                  values: HyperparameterValues(specifications.map(\.defaultValue)))
    }
}
