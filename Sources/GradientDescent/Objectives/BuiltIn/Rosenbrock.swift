/// The n-dimensional Rosenbrock function, a test problem with a curved valley:
/// `f(x) = Σ_{i<n−1} [b·(x_{i+1} − x_i²)² + (a − x_i)²]`, minimum 0 at x = (a, a², …) —
/// (1, …, 1) for the usual a = 1, b = 100. Full batch only.
public final class Rosenbrock: Objective {
    /// The number of parameters (at least 2).
    public let dimension: Int
    /// The valley's position parameter (1 in the classic form).
    public let a: Double
    /// The valley's steepness (100 in the classic form).
    public let b: Double

    /// Rosenbrock in `dimension` parameters; `.invalidArgument` for a dimension below 2 or a
    /// non-finite a or b.
    public init(dimension: Int, a: Double = 1, b: Double = 100) throws(GradientDescentError) {
        if dimension < 2 {
            throw GradientDescentError(.invalidArgument, "rosenbrock needs n >= 2, got \(dimension)")
        }
        if !a.isFinite || !b.isFinite {
            throw GradientDescentError(.invalidArgument, "a and b must be finite, got a = \(a), b = \(b)")
        }
        self.dimension = dimension
        self.a = a
        self.b = b
    }

    /// f(x) and, when `gradient` is non-nil, ∇f(x).
    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let n = dimension
        if x.count != n || (gradient != nil && gradient!.count != n) {
            throw GradientDescentError(.dimensionMismatch, "x or the gradient does not have \(n) entries")
        }
        var f = 0.0
        if let g = gradient {
            g.initialize(repeating: 0)
        }
        for i in 0..<(n - 1) {
            let t = x[i + 1] - x[i] * x[i]
            let u = a - x[i]
            f += b * t * t + u * u
            if let g = gradient {
                g[i] += -4 * b * x[i] * t - 2 * u
                g[i + 1] += 2 * b * t
            }
        }
        return f
    }
}
