/// Why ``minimize(x:optimizer:options:progress:_:)`` (and its other forms) threw.
public enum MinimizeError: Error, CustomStringConvertible {
    /// The arguments were rejected before anything ran (dimensions, options, hyper-parameter
    /// values, a non-finite starting point); x is unchanged.
    case invalidArgument(GradientDescentError)
    /// The function threw this error; x holds the last iterate whose loss and gradient were
    /// finite, and the report says how far the run got.
    case functionThrew(any Error, report: Report)
    /// The run failed: a non-finite loss or gradient, or an objective or custom rule that
    /// reported a failure. x holds the last iterate whose loss and gradient were finite.
    case runFailed(GradientDescentError, report: Report)

    /// The report of a run that started; nil for ``invalidArgument(_:)``.
    public var report: Report? {
        switch self {
        case .invalidArgument: nil
        case .functionThrew(_, let report), .runFailed(_, let report): report
        }
    }

    /// A message that names what failed.
    public var description: String {
        switch self {
        case .invalidArgument(let error): error.message
        case .functionThrew(let error, let report):
            "the function threw after \(report.iterations) iterations: \(error)"
        case .runFailed(let error, let report):
            "the run failed after \(report.iterations) iterations: \(error.message)"
        }
    }
}
