/// A named parameter of an objective and its default.
public struct ObjectiveParameter: Sendable, Hashable {
    /// The parameter's name.
    public let key: String
    /// Its value when the caller gives none.
    public let defaultValue: Double

    /// A parameter named `key` with its default.
    public init(_ key: String, default defaultValue: Double) {
        self.key = key
        self.defaultValue = defaultValue
    }
}

/// What a factory gets to build one objective: the dimension asked for, the borrowed data
/// (its required fields are present), and the parameters' values in the factory's declared
/// order, defaults filled in.
public struct ObjectiveRequest {
    /// The number of parameters asked for.
    public let dimension: Int
    /// The borrowed data.
    public let data: ObjectiveData
    /// The parameters' values, in the factory's order.
    public let parameters: [Double]

    /// A request with these values.
    public init(dimension: Int, data: ObjectiveData, parameters: [Double]) {
        self.dimension = dimension
        self.data = data
        self.parameters = parameters
    }
}

/// One entry of the objective registry: how to make an objective by name. Built-ins and
/// plugins are entries alike, so a loaded plugin is used exactly like a built-in.
public struct ObjectiveFactory: Sendable {
    /// The name objectives are made by.
    public let name: String
    /// One line on what the objective computes.
    public let summary: String
    /// "built-in", or the path of the plugin that provided the entry.
    public let source: String
    /// The parameters it accepts, with defaults.
    public let parameters: [ObjectiveParameter]
    /// The data fields it needs.
    public let requiredData: DataFields
    /// True when the objectives it makes have samples (the data's rows).
    public let isSampled: Bool
    /// Makes one objective from a checked request.
    public let make: @Sendable (ObjectiveRequest) throws(GradientDescentError) -> any Objective

    /// The `source` of the library's own entries.
    public static let builtInSource = "built-in"

    /// An entry; `make` is called with a request whose data has `requiredData`.
    public init(name: String, summary: String, source: String = ObjectiveFactory.builtInSource,
                parameters: [ObjectiveParameter] = [], requiredData: DataFields = [], isSampled: Bool = false,
                make: @escaping @Sendable (ObjectiveRequest) throws(GradientDescentError) -> any Objective) {
        self.name = name
        self.summary = summary
        self.source = source
        self.parameters = parameters
        self.requiredData = requiredData
        self.isSampled = isSampled
        self.make = make
    }
}
