/// The objective of a process that holds none of the rows of a sharded data set: it has the
/// run's dimension and contributes nothing to any evaluation. Built-in data objectives need
/// at least one row, so a process whose shard is empty takes part in the run with this.
public final class EmptyShard: Objective {
    public let dimension: Int

    public init(dimension: Int) throws(GradientDescentError) {
        if dimension <= 0 {
            throw GradientDescentError(.invalidArgument, "n must be > 0, got \(dimension)")
        }
        self.dimension = dimension
    }

    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        throw GradientDescentError(.invalidArgument,
            "an empty shard holds no rows; it is evaluated only inside a run with a reducer")
    }
}
