/// The outcome of an operation, with the same values as the C header's `gd_status` table.
///
/// The core keeps its own copy so that it stays usable from Swift without any C; the C layer
/// converts by raw value, and a test checks that the two tables agree.
public enum Status: Int32, Sendable, CaseIterable {
    case ok = 0
    case nullArgument = -1
    case invalidArgument = -2
    case dimensionMismatch = -3
    case unknownName = -4
    case unknownKey = -5
    case outOfMemory = -6
    case callback = -7
    case nonFinite = -8
    case plugin = -9
    case badState = -10
    case foreign = -11
    case lineSearch = -12
}

/// A failure with the status it maps to at the C boundary and a message that names the
/// argument and its value.
public struct GradientDescentError: Error, Sendable, CustomStringConvertible {
    /// The status this failure maps to at the C boundary.
    public var status: Status
    /// What failed, naming the argument and its value.
    public var message: String

    /// A failure with its status and message.
    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
