/// An objective known only by its loss; its gradient is estimated by finite differences the
/// way SciPy's `approx_derivative` does for `minimize(jac="2-point" | "3-point")` without
/// bounds, so the same function gives the same gradient bits:
///   step     h_i = r · s_i · max(1, |x_i|), r = √ε (two points) or ∛ε (three points), ε
///            the float64 machine epsilon; s_i = 1 when x_i ≥ 0 else −1 for two points,
///            always 1 for three (SciPy's central scheme takes |h|);
///   2-point  g_i = (f(x + h_i e_i) − f(x)) / dx_i,       dx_i = (x_i + h_i) − x_i;
///   3-point  g_i = (f(x + h_i e_i) − f(x − h_i e_i)) / dx_i, dx_i = (x_i + h_i) − (x_i − h_i).
/// A gradient costs n (2-point, plus the loss) or 2n (3-point) calls of the loss; a loss
/// alone costs one. The perturbed points live in a buffer allocated once, at creation.
public final class FiniteDifferenceObjective: Objective {
    public typealias Loss = (UnsafeBufferPointer<Double>) throws(GradientDescentError) -> Double

    public let dimension: Int
    public let points: Int
    private let loss: Loss
    private let shifted: UnsafeMutableBufferPointer<Double>
    private let relativeStep: Double

    /// points is 2 or 3 (checked by the caller).
    public init(dimension: Int, points: Int, loss: @escaping Loss) throws(GradientDescentError) {
        self.dimension = dimension
        self.points = points
        self.loss = loss
        shifted = try CheckedAllocation.allocate(Double.self, count: dimension,
                                                 what: "the finite-difference point")
        // SciPy's EPS**0.5 (2^-26 exactly) and EPS**(1/3) as numpy computes them; spelled
        // out because a pow folded at compile time may round the second differently.
        relativeStep = points == 2 ? 1.4901161193847656e-08 : 6.055454452393343e-06
    }

    deinit { CheckedAllocation.deallocate(shifted) }

    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let f0 = try loss(x)
        guard let gradient else { return f0 }
        for i in 0..<dimension { shifted[i] = x[i] }
        let point = UnsafeBufferPointer(shifted)
        for i in 0..<dimension {
            let xi = x[i]
            let sign: Double = xi >= 0 || points == 3 ? 1 : -1
            let h = relativeStep * sign * max(1.0, abs(xi))
            let forward = xi + h
            shifted[i] = forward
            let fForward = try loss(point)
            if points == 2 {
                gradient[i] = (fForward - f0) / (forward - xi)
            } else {
                let backward = xi - h
                shifted[i] = backward
                let fBackward = try loss(point)
                gradient[i] = (fForward - fBackward) / (forward - backward)
            }
            shifted[i] = xi
        }
        return f0
    }
}
