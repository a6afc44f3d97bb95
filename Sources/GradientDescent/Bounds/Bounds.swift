/// A box l <= x <= u over the parameters: per entry, -inf and +inf mean "no bound".
///
/// Made once before a run (one checked allocation of 2n doubles); projecting and measuring
/// allocate nothing. Projection writes the bound itself for an entry outside it, so "at a
/// bound" is an exact comparison afterwards.
public final class Bounds {
    public let dimension: Int
    private let storage: UnsafeMutableBufferPointer<Double>
    let lower: UnsafeMutablePointer<Double>
    let upper: UnsafeMutablePointer<Double>

    /// Checks and copies the bounds: both of `dimension` entries, no NaN, lower <= upper,
    /// lower < +inf and upper > -inf (a box with a point in it). `.dimensionMismatch` or
    /// `.invalidArgument` with the first offending entry.
    public convenience init(lower: [Double], upper: [Double], dimension: Int) throws(GradientDescentError) {
        if lower.count != dimension || upper.count != dimension {
            throw GradientDescentError(.dimensionMismatch,
                "the bounds have \(lower.count) lower and \(upper.count) upper entries; x has \(dimension)")
        }
        try self.init(dimension: dimension) { i in (lower[i], upper[i]) }
    }

    /// The bounds entry by entry from `entry(i) = (lower_i, upper_i)`; the same checks.
    public init(dimension: Int, entry: (Int) -> (Double, Double)) throws(GradientDescentError) {
        for i in 0..<dimension {
            let (l, u) = entry(i)
            if l.isNaN || u.isNaN {
                throw GradientDescentError(.invalidArgument, "bound \(i) is NaN (lower \(l), upper \(u))")
            }
            if l > u {
                throw GradientDescentError(.invalidArgument, "lower bound \(i) is \(l), above its upper bound \(u)")
            }
            if l == .infinity || u == -.infinity {
                throw GradientDescentError(.invalidArgument,
                    "bound \(i) leaves no finite value (lower \(l), upper \(u)); use -inf for no lower bound, +inf for no upper")
            }
        }
        let storage = try CheckedAllocation.allocate(Double.self, count: 2 * dimension, what: "the bounds")
        for i in 0..<dimension {
            let (l, u) = entry(i)
            storage[i] = l
            storage[dimension + i] = u
        }
        self.dimension = dimension
        self.storage = storage
        lower = storage.baseAddress!
        upper = lower + dimension
        isBoxed = (0..<dimension).allSatisfy { storage[$0].isFinite && storage[dimension + $0].isFinite }
        isUnbounded = (0..<dimension).allSatisfy { storage[$0] == -.infinity && storage[dimension + $0] == .infinity }
    }

    /// True when every entry has a finite lower and a finite upper bound.
    let isBoxed: Bool
    /// True when no entry has a finite bound: a run then is the unbounded run.
    let isUnbounded: Bool

    deinit {
        CheckedAllocation.deallocate(storage)
    }

    /// The lower and upper bound of entry i.
    public subscript(i: Int) -> (lower: Double, upper: Double) { (lower[i], upper[i]) }

    /// x = P(x), the nearest point of the box; true when an entry changed.
    @discardableResult
    func project(_ x: UnsafeMutablePointer<Double>) -> Bool {
        var changed = false
        for i in 0..<dimension {
            let v = x[i]
            if v < lower[i] {
                x[i] = lower[i]
                changed = true
            } else if v > upper[i] {
                x[i] = upper[i]
                changed = true
            }
        }
        return changed
    }

    /// ||P(x - g) - x||_2: zero exactly at the points where no feasible direction decreases
    /// the loss to first order. It replaces ||g|| in the criteria of a bounded run.
    func projectedGradientNorm(x: UnsafePointer<Double>, gradient g: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let moved = min(max(x[i] - g[i], lower[i]), upper[i]) - x[i]
            sum += moved * moved
        }
        return sum.squareRoot()
    }

    /// The largest t <= limit with x + t·d in the box (x in the box).
    func largestStep(from x: UnsafePointer<Double>, along d: UnsafePointer<Double>, limit: Double) -> Double {
        var t = limit
        for i in 0..<dimension {
            let di = d[i]
            if di < 0 && lower[i] > -.infinity {
                t = min(t, (lower[i] - x[i]) / di)
            } else if di > 0 && upper[i] < .infinity {
                t = min(t, (upper[i] - x[i]) / di)
            }
        }
        return max(t, 0)
    }
}
