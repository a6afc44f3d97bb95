/// Borrowed data for an objective made by name: pointers into the caller's memory, never
/// copied. The objective keeps reading them, so they must outlive it.
public struct ObjectiveData {
    /// rows × columns features (or a matrix such as the quadratic's A), row-major.
    public var features: UnsafePointer<Double>?
    /// The number of rows (samples).
    public var rows: Int
    /// The number of columns (features).
    public var columns: Int
    /// rows values (regression targets, binary labels), or the quadratic's b.
    public var targets: UnsafePointer<Double>?
    /// rows class indices in [0, classes).
    public var labels: UnsafePointer<Int64>?
    /// The number of classes (softmax).
    public var classes: Int

    /// Data with the given fields; the pointers are borrowed.
    public init(features: UnsafePointer<Double>? = nil, rows: Int = 0, columns: Int = 0,
                targets: UnsafePointer<Double>? = nil, labels: UnsafePointer<Int64>? = nil, classes: Int = 0) {
        self.features = features
        self.rows = rows
        self.columns = columns
        self.targets = targets
        self.labels = labels
        self.classes = classes
    }

    /// The features as a buffer of rows × columns, checked for size and overflow.
    public func featureBuffer() throws(GradientDescentError) -> UnsafeBufferPointer<Double> {
        guard let features else {
            throw GradientDescentError(.nullArgument, "data x is NULL")
        }
        if rows <= 0 || columns <= 0 {
            throw GradientDescentError(.invalidArgument, "data must have rows > 0 and cols > 0, got \(rows)×\(columns)")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        if overflow || count > Int.max / 16 {
            throw GradientDescentError(.invalidArgument, "data of \(rows)×\(columns) is too large")
        }
        return UnsafeBufferPointer(start: features, count: count)
    }

    /// The targets as a buffer of `count` values.
    public func targetBuffer(count: Int) throws(GradientDescentError) -> UnsafeBufferPointer<Double> {
        guard let targets else {
            throw GradientDescentError(.nullArgument, "data y is NULL")
        }
        return UnsafeBufferPointer(start: targets, count: count)
    }
}

/// The fields of `ObjectiveData` an objective requires; the same bits as the header's GD_DATA_*.
public struct DataFields: OptionSet, Sendable, Hashable {
    /// The GD_DATA_* bits.
    public let rawValue: UInt32
    /// The fields whose GD_DATA_* bits are set in `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// x, rows and cols.
    public static let features = DataFields(rawValue: 1)
    /// y.
    public static let targets = DataFields(rawValue: 2)
    /// labels and classes.
    public static let labels = DataFields(rawValue: 4)
}
