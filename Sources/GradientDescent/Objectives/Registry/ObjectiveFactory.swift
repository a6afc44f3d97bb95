/// A named parameter of an objective and its default.
public struct ObjectiveParameter: Sendable, Hashable {
    public let key: String
    public let defaultValue: Double

    public init(_ key: String, default defaultValue: Double) {
        self.key = key
        self.defaultValue = defaultValue
    }
}

/// What a factory gets to build one objective: the dimension asked for, the borrowed data
/// (its required fields are present), and the parameters' values in the factory's declared
/// order, defaults filled in.
public struct ObjectiveRequest {
    public let dimension: Int
    public let data: ObjectiveData
    public let parameters: [Double]

    public init(dimension: Int, data: ObjectiveData, parameters: [Double]) {
        self.dimension = dimension
        self.data = data
        self.parameters = parameters
    }
}

/// One entry of the objective registry: how to make an objective by name. Built-ins and
/// plugins are entries alike, so a loaded plugin is used exactly like a built-in.
public struct ObjectiveFactory: Sendable {
    public let name: String
    public let summary: String
    /// "built-in", or the path of the plugin that provided the entry.
    public let source: String
    public let parameters: [ObjectiveParameter]
    public let requiredData: DataFields
    /// True when the objectives it makes have samples (the data's rows).
    public let isSampled: Bool
    public let make: @Sendable (ObjectiveRequest) throws(GradientDescentError) -> any Objective

    public static let builtInSource = "built-in"

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
