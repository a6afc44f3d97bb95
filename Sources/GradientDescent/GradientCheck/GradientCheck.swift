/// How an objective's gradient compares with central finite differences at one point.
public struct GradientCheckResult: Sendable, Equatable {
    /// The component with the largest scaled error |a − d| / max(1, |a|, |d|).
    public var worstIndex: Int = 0
    /// The objective's gradient and the central difference at `worstIndex`.
    public var analytic: Double = 0
    /// The central difference at `worstIndex`.
    public var numeric: Double = 0
    /// |a − d| at `worstIndex`.
    public var absoluteError: Double = 0
    /// |a − d| / max(|a|, |d|) at `worstIndex` (0 when both are 0).
    public var relativeError: Double = 0
    /// The scaled error at `worstIndex`: relative for large components, absolute below 1, so
    /// one threshold (around 1e-6 for smooth losses in double) works whatever the scale.
    public var error: Double = 0
    /// Calls to the objective: 1 + 2 · dimension.
    public var evaluations: Int = 0

    /// A result with every field 0, filled by `checkGradient`.
    public init() {}
}

/// The default step: the cube root of machine epsilon, which balances the O(h²) truncation
/// of the central difference against rounding.
public let defaultGradientCheckStep = 6.055454452393343e-06

/// Compares the objective's gradient at x with central differences
/// (f(x + h·e_i) − f(x − h·e_i)) / (2h), h = step · max(1, |x_i|), over all samples. The
/// divisor is the difference of the two perturbed coordinates as actually rounded. `step` 0
/// means `defaultGradientCheckStep`. Throws `.nonFinite` for a non-finite loss or gradient.
public func checkGradient(_ objective: any Objective, at x: UnsafeBufferPointer<Double>,
                          step: Double = 0) throws(GradientDescentError) -> GradientCheckResult {
    let n = objective.dimension
    if x.count != n {
        throw GradientDescentError(.dimensionMismatch, "x has \(x.count) entries but the objective has dimension \(n)")
    }
    if !(step >= 0) || step.isInfinite {
        throw GradientDescentError(.invalidArgument, "step must be finite and >= 0 (0 = default), got \(step)")
    }
    for i in 0..<n where !x[i].isFinite {
        throw GradientDescentError(.nonFinite, "x[\(i)] is \(x[i])")
    }
    let h = step == 0 ? defaultGradientCheckStep : step
    let buffers = try CheckedAllocation.allocate(Double.self, count: 2 * n, what: "the gradient check's buffers")
    defer { CheckedAllocation.deallocate(buffers) }
    let gradient = UnsafeMutableBufferPointer(rebasing: buffers[0..<n])
    let point = UnsafeMutableBufferPointer(rebasing: buffers[n..<(2 * n)])
    gradient.initialize(repeating: 0)
    _ = point.initialize(fromContentsOf: x)

    var result = GradientCheckResult()
    let loss = try objective.evaluate(at: UnsafeBufferPointer(point), gradient: gradient)
    result.evaluations = 1
    if !loss.isFinite {
        throw GradientDescentError(.nonFinite, "the loss at x is \(loss)")
    }
    result.error = -1
    for i in 0..<n {
        let a = gradient[i]
        if !a.isFinite {
            throw GradientDescentError(.nonFinite, "gradient[\(i)] is \(a)")
        }
        let xi = x[i]
        let hi = h * max(1, abs(xi))
        let up = xi + hi, down = xi - hi
        point[i] = up
        let fUp = try objective.evaluate(at: UnsafeBufferPointer(point), gradient: nil)
        point[i] = down
        let fDown = try objective.evaluate(at: UnsafeBufferPointer(point), gradient: nil)
        point[i] = xi
        result.evaluations += 2
        if !fUp.isFinite || !fDown.isFinite {
            throw GradientDescentError(.nonFinite, "the loss is \(fUp) at x + h·e_\(i) and \(fDown) at x − h·e_\(i)")
        }
        let d = (fUp - fDown) / (up - down)
        let absolute = abs(a - d)
        let scaled = absolute / max(1, abs(a), abs(d))
        if scaled > result.error {
            result.worstIndex = i
            result.analytic = a
            result.numeric = d
            result.absoluteError = absolute
            let magnitude = max(abs(a), abs(d))
            result.relativeError = magnitude > 0 ? absolute / magnitude : 0
            result.error = scaled
        }
    }
    return result
}
