import Synchronization

/// Custom rules registered by name, so that `Optimizer(rule:dimension:)` (and
/// `gd_optimizer_new`) finds them exactly as it finds the built-in rules. Process-wide and
/// safe to use from any thread.
enum RuleRegistry {
    private static let rules = Mutex<[String: CustomRule]>([:])

    static func register(_ rule: CustomRule) throws(GradientDescentError) {
        if Optimizer.ruleNames.contains(rule.name) {
            throw GradientDescentError(.invalidArgument, "'\(rule.name)' is a built-in rule and cannot be replaced")
        }
        let added = rules.withLock { table in
            if table[rule.name] != nil { return false }
            table[rule.name] = rule
            return true
        }
        if !added {
            throw GradientDescentError(.invalidArgument,
                "a rule named '\(rule.name)' is already registered; unregister it first")
        }
    }

    static func unregister(_ name: String) throws(GradientDescentError) {
        let removed = rules.withLock { $0.removeValue(forKey: name) != nil }
        if !removed {
            throw GradientDescentError(.unknownName, "no custom rule named '\(name)' is registered")
        }
    }

    static func rule(named name: String) -> CustomRule? {
        rules.withLock { $0[name] }
    }

    static var names: [String] {
        rules.withLock { Array($0.keys) }.sorted()
    }
}

extension Optimizer {
    /// Registers a custom rule under its name. Optimizers created from it keep working after
    /// it is unregistered. Throws `.invalidArgument` for a built-in or already registered name.
    public static func register(_ rule: CustomRule) throws(GradientDescentError) {
        try RuleRegistry.register(rule)
    }

    /// Removes a registered rule; `.unknownName` when none has this name.
    public static func unregister(rule name: String) throws(GradientDescentError) {
        try RuleRegistry.unregister(name)
    }
}
