import Synchronization

/// The one registry of objective factories: the built-ins, then the entries of each loaded
/// plugin in load order. Entries are only ever appended (a plugin is never unloaded), so an
/// index, once valid, names the same entry for the life of the process. Thread-safe.
public final class ObjectiveRegistry: Sendable {
    /// The process's registry: the built-ins and every loaded plugin's objectives.
    public static let shared = ObjectiveRegistry(BuiltInObjectives.factories)

    private let entries: Mutex<[ObjectiveFactory]>

    /// A registry holding `factories`.
    public init(_ factories: [ObjectiveFactory]) {
        entries = Mutex(factories)
    }

    /// The number of entries.
    public var count: Int {
        entries.withLock { $0.count }
    }

    /// Every entry, in registration order.
    public var factories: [ObjectiveFactory] {
        entries.withLock { $0 }
    }

    /// The entry at `index`, or nil when out of range.
    public func factory(at index: Int) -> ObjectiveFactory? {
        entries.withLock { index >= 0 && index < $0.count ? $0[index] : nil }
    }

    /// The entry named `name`, or nil.
    public func factory(named name: String) -> ObjectiveFactory? {
        entries.withLock { entries in entries.first { $0.name == name } }
    }

    /// Appends all of `factories` or none: a name already registered, or given twice, is an
    /// error (status invalidArgument) and leaves the registry unchanged.
    public func register(_ factories: [ObjectiveFactory]) throws(GradientDescentError) {
        let result: GradientDescentError? = entries.withLock { entries in
            var names = Set(entries.map(\.name))
            for factory in factories {
                if !names.insert(factory.name).inserted {
                    let existing = entries.first { $0.name == factory.name }
                    let from = existing.map { "already registered by \($0.source)" } ?? "given twice"
                    return GradientDescentError(.invalidArgument, "duplicate objective name '\(factory.name)': \(from)")
                }
            }
            entries.append(contentsOf: factories)
            return nil
        }
        if let result { throw result }
    }

    /// Makes the objective `name` over `data` with parameters by key. Unknown names and keys,
    /// keys given twice, non-finite values and missing data fields are reported before the
    /// factory runs.
    public func makeObjective(named name: String, dimension: Int, data: ObjectiveData,
                              parameters: [(key: String, value: Double)]) throws(GradientDescentError) -> any Objective {
        guard let factory = factory(named: name) else {
            let known = factories.map(\.name).joined(separator: ", ")
            throw GradientDescentError(.unknownName, "no objective named '\(name)' (registered: \(known))")
        }
        var values = factory.parameters.map(\.defaultValue)
        var seen = Set<String>()
        for (key, value) in parameters {
            guard let index = factory.parameters.firstIndex(where: { $0.key == key }) else {
                let known = factory.parameters.isEmpty ? "none" : factory.parameters.map(\.key).joined(separator: ", ")
                throw GradientDescentError(.unknownKey, "'\(key)' is not a parameter of \(name) (parameters: \(known))")
            }
            if !seen.insert(key).inserted {
                throw GradientDescentError(.invalidArgument, "parameter '\(key)' is given twice")
            }
            if !value.isFinite {
                throw GradientDescentError(.invalidArgument, "parameter '\(key)' must be finite, got \(value)")
            }
            values[index] = value
        }
        if dimension <= 0 {
            throw GradientDescentError(.invalidArgument, "n must be > 0, got \(dimension)")
        }
        if factory.requiredData.contains(.features) {
            _ = try data.featureBuffer()
        }
        if factory.requiredData.contains(.targets) && data.targets == nil {
            throw GradientDescentError(.nullArgument, "\(name) needs data y, which is NULL")
        }
        if factory.requiredData.contains(.labels) && data.labels == nil {
            throw GradientDescentError(.nullArgument, "\(name) needs data labels, which is NULL")
        }
        if factory.isSampled && data.rows <= 0 {
            throw GradientDescentError(.invalidArgument, "\(name) is sampled over the data's rows, which are 0")
        }
        return try factory.make(ObjectiveRequest(dimension: dimension, data: data, parameters: values))
    }
}
