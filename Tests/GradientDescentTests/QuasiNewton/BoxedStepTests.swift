import Testing
@testable import GradientDescent

/// The compact representation behind lbfgs's step in a box agrees with the two-loop
/// recursion, and the Cauchy point and subspace step behave as L-BFGS-B's.
@Suite("Bounded L-BFGS step: Cauchy point and subspace minimization")
struct BoxedStepTests {
    static let n = 7

    /// A history of `pairs` pairs from the quadratic with Hessian diag(1, 3, ..., 13) plus a
    /// coupling, so that y = A s exactly.
    static func history(pairs: Int, capacity: Int, scales: [Double] = unitScales) throws -> LBFGSHistory {
        let history = try LBFGSHistory(dimension: n, capacity: capacity)
        try history.reserve()
        var x = [Double](repeating: 0, count: n), previous = x
        var g = x, previousG = x
        for k in 0..<pairs {
            previous = x
            previousG = gradient(previous, scales: scales)
            for i in 0..<n {
                x[i] = previous[i] + (Double((i * 7 + k * 3) % 5) * 0.1 - 0.2 + (i == k % n ? 0.3 : 0)) / scales[i]
            }
            g = gradient(x, scales: scales)
            #expect(history.add(x: x, previousX: previous, gradient: g, previousGradient: previousG))
        }
        return history
    }

    static let unitScales = [Double](repeating: 1, count: n)

    /// The gradient of the quadratic in the variables x = u / scale (so its Hessian is
    /// S⁻¹ A S⁻¹: scales far from 1 make it badly scaled, as Meyer's or Powell's problems).
    static func gradient(_ x: [Double], scales: [Double] = unitScales) -> [Double] {
        let u = (0..<n).map { x[$0] * scales[$0] }
        return (0..<n).map { i in
            (Double(2 * i + 1) * u[i] + 0.5 * (i > 0 ? u[i - 1] : 0) + 0.5 * (i < n - 1 ? u[i + 1] : 0) - 1) * scales[i]
        }
    }

    @Test("without finite bounds the step is the two-loop recursion's -H g", arguments: [1, 3, 5])
    func unboundedEqualsTwoLoop(_ pairs: Int) throws {
        let history = try Self.history(pairs: pairs, capacity: 5)
        let bounds = try Bounds(lower: .init(repeating: -.infinity, count: Self.n),
                                upper: .init(repeating: .infinity, count: Self.n), dimension: Self.n)
        let step = try BoxedStep(dimension: Self.n, capacity: 5)
        let x = (0..<Self.n).map { 0.3 * Double($0) - 1 }
        let g = Self.gradient(x)
        var boxed = [Double](repeating: 0, count: Self.n), twoLoop = boxed
        #expect(step.direction(x: x, gradient: g, bounds: bounds, history: history, into: &boxed))
        history.direction(gradient: g, into: &twoLoop)
        let scale = twoLoop.map(abs).max()!
        for i in 0..<Self.n {
            #expect(abs(boxed[i] - twoLoop[i]) <= 1e-12 * scale, "entry \(i): \(boxed[i]) vs \(twoLoop[i])")
        }
    }

    @Test("with no pairs the step goes to the projection of x - g (L-BFGS-B's first iteration)")
    func firstStepIsProjectedGradient() throws {
        let history = try LBFGSHistory(dimension: Self.n, capacity: 3)
        let lower = (0..<Self.n).map { $0 % 2 == 0 ? -0.5 : -Double.infinity }
        let upper = (0..<Self.n).map { $0 % 3 == 0 ? 0.2 : Double.infinity }
        let bounds = try Bounds(lower: lower, upper: upper, dimension: Self.n)
        let step = try BoxedStep(dimension: Self.n, capacity: 3)
        let x = (0..<Self.n).map { min(max(0.4 * Double($0) - 1, lower[$0]), upper[$0]) }
        let g = Self.gradient(x)
        var d = [Double](repeating: 0, count: Self.n)
        #expect(step.direction(x: x, gradient: g, bounds: bounds, history: history, into: &d))
        for i in 0..<Self.n {
            let projected = min(max(x[i] - g[i], lower[i]), upper[i])
            #expect(abs(x[i] + d[i] - projected) <= 1e-14, "entry \(i)")
        }
    }

    @Test("the bounded step stays in the box, descends, and holds variables the gradient pushes out")
    func boundedStepIsFeasibleDescent() throws {
        let history = try Self.history(pairs: 4, capacity: 5)
        let lower = [Double](repeating: -0.1, count: Self.n)
        let upper = [Double](repeating: 0.25, count: Self.n)
        let bounds = try Bounds(lower: lower, upper: upper, dimension: Self.n)
        let step = try BoxedStep(dimension: Self.n, capacity: 5)
        var x = [Double](repeating: 0.1, count: Self.n)
        x[0] = 0.25 // at its upper bound
        let g = Self.gradient(x)
        #expect(g[0] < 0) // pushed out of the box
        var d = [Double](repeating: 0, count: Self.n)
        #expect(step.direction(x: x, gradient: g, bounds: bounds, history: history, into: &d))
        var slope = 0.0
        for i in 0..<Self.n {
            #expect(x[i] + d[i] >= lower[i] && x[i] + d[i] <= upper[i])
            slope += g[i] * d[i]
        }
        #expect(slope < 0)
        #expect(d[0] == 0)
    }

    @Test("in a box, the step is L-BFGS-B's: the dense model's Cauchy point, then its minimizer over the free variables",
          arguments: [(unitScales, 1e-13), ([0.1, 1, 10, 3, 0.3, 5, 1], 1e-12), ([1e-3, 1, 1e3, 10, 1e-2, 1e2, 1], 1e-7)])
    func boundedStepMatchesDenseModel(_ scales: [Double], tolerance: Double) throws {
        let n = Self.n
        let history = try Self.history(pairs: 4, capacity: 5, scales: scales)
        let step = try BoxedStep(dimension: n, capacity: 5)
        let x = (0..<n).map { (0.1 + 0.02 * Double($0)) / scales[$0] }
        let g = Self.gradient(x, scales: scales)
        // The even variables have a bound on the path at a tenth of the model's minimizer
        // along -g, so the Cauchy point fixes them; the odd ones have none, so the subspace
        // step moves them unprojected.
        let model = DenseModel(history: history)
        let gw = g.map { DenseModel.Wide($0) }
        let gg: DenseModel.Wide = gw.map { $0 * $0 }.reduce(0, +)
        let bg = model.times(gw)
        let gBg: DenseModel.Wide = (0..<n).map { gw[$0] * bg[$0] }.reduce(0, +)
        let steepest = Double(gg / gBg)
        var lower = [Double](repeating: -.infinity, count: n), upper = lower.map { -$0 }
        for i in stride(from: 0, to: n, by: 2) {
            let bound = x[i] - 0.1 * steepest * g[i]
            if g[i] > 0 { lower[i] = bound } else { upper[i] = bound }
        }
        let bounds = try Bounds(lower: lower, upper: upper, dimension: n)
        var d = [Double](repeating: 0, count: n)
        #expect(step.direction(x: x, gradient: g, bounds: bounds, history: history, into: &d))

        let (cauchy, free) = model.cauchyPoint(x: x, g: g, lower: lower, upper: upper)
        #expect(free == Array(stride(from: 1, to: n, by: 2)))
        for i in 0..<n {
            #expect(abs(step.cauchyPoint[i] - Double(cauchy[i])) <= 1e-11 * (abs(x[i]) + abs(Double(cauchy[i]))), "entry \(i)")
            if !free.contains(i) { #expect(x[i] + d[i] == Double(cauchy[i]), "fixed entry \(i)") }
        }
        // On the free variables the model's gradient at x + d vanishes to rounding: a
        // backward error, relative to the size of the terms summed (|g| + |B||d|), which is
        // meaningful however ill-conditioned the model is. When the variables' scales span six
        // decades, the compact form's terms (θ|z| and |W M c|) exceed |B||d| by orders of
        // magnitude and cancel, hence the wider tolerance there.
        let residual = model.gradient(at: (0..<n).map { x[$0] + d[$0] }, x: x, g: g)
        let terms = model.absoluteTerms(d: d, g: g)
        let worst = free.map { abs(residual[$0]) / terms[$0] }.max()!
        #expect(worst <= tolerance, "largest relative model gradient on a free variable: \(worst)")
    }
}

/// The L-BFGS matrix of a history in dense form, built independently of the compact
/// representation: B0 = θI, then B += yyᵀ/yᵀs - BssᵀB/sᵀBs per pair, oldest first; in
/// 64-bit-significand arithmetic where the machine has it, so the reference's own rounding
/// stays below the tests' tolerances.
struct DenseModel {
    #if arch(x86_64) || arch(i386)
    typealias Wide = Float80
    #else
    typealias Wide = Double
    #endif

    let n: Int
    let B: [[Wide]]

    init(history: LBFGSHistory) {
        n = history.dimension
        let k = history.count
        let theta = 1 / Wide(history.gamma)
        let n = self.n
        var B = (0..<n).map { i in (0..<n).map { j in i == j ? theta : Wide(0) } }
        for age in 0..<k {
            let slot = (history.newest - (k - 1 - age) + history.capacity) % history.capacity
            let s = UnsafeBufferPointer(start: history.s(slot), count: n).map { Wide($0) }
            let y = UnsafeBufferPointer(start: history.y(slot), count: n).map { Wide($0) }
            let Bs = (0..<n).map { i in (0..<n).reduce(Wide(0)) { $0 + B[i][$1] * s[$1] } }
            let sBs = (0..<n).reduce(Wide(0)) { $0 + s[$1] * Bs[$1] }
            let ys = (0..<n).reduce(Wide(0)) { $0 + y[$1] * s[$1] }
            for i in 0..<n { for j in 0..<n { B[i][j] += y[i] * y[j] / ys - Bs[i] * Bs[j] / sBs } }
        }
        self.B = B
    }

    func times(_ v: [Wide]) -> [Wide] { (0..<n).map { i in (0..<n).reduce(Wide(0)) { $0 + B[i][$1] * v[$1] } } }

    /// g + B(point - x), the model's gradient at `point`.
    func gradient(at point: [Double], x: [Double], g: [Double]) -> [Double] {
        let z = (0..<n).map { Wide(point[$0]) - Wide(x[$0]) }
        return zip(g, times(z)).map { Double(Wide($0) + $1) }
    }

    /// |g| + |B||d| entry by entry: the scale of the model's gradient g + Bd in rounding.
    func absoluteTerms(d: [Double], g: [Double]) -> [Double] {
        (0..<n).map { i in Double((0..<n).reduce(abs(Wide(g[i]))) { $0 + abs(B[i][$1] * Wide(d[$1])) }) }
    }

    /// The first local minimizer of the model along the projected gradient path, segment by
    /// segment between the sorted breakpoints, and the variables strictly inside the box there.
    func cauchyPoint(x: [Double], g: [Double], lower: [Double], upper: [Double]) -> (point: [Wide], free: [Int]) {
        func dot(_ a: [Wide], _ b: [Wide]) -> Wide { zip(a, b).reduce(Wide(0)) { $0 + $1.0 * $1.1 } }
        let gw = g.map { Wide($0) }
        let breakpoints = (0..<n).map { i -> Wide in
            if g[i] < 0 && upper[i] < .infinity { return (Wide(x[i]) - Wide(upper[i])) / gw[i] }
            if g[i] > 0 && lower[i] > -.infinity { return (Wide(x[i]) - Wide(lower[i])) / gw[i] }
            return .infinity
        }
        var t: Wide = 0
        var z = [Wide](repeating: 0, count: n)
        while true {
            let direction = (0..<n).map { breakpoints[$0] > t ? -gw[$0] : 0 }
            let next = breakpoints.filter { $0 > t }.min() ?? .infinity
            let slope = dot(gw, direction) + dot(direction, times(z))
            let curvature = dot(direction, times(direction))
            if slope >= 0 { break }
            let minimizer = curvature > 0 ? t - slope / curvature : .infinity
            if minimizer < next {
                for i in 0..<n { z[i] += (minimizer - t) * direction[i] }
                break
            }
            for i in 0..<n { z[i] += (next - t) * direction[i] }
            t = next
        }
        let point = (0..<n).map { min(max(Wide(x[$0]) + z[$0], Wide(lower[$0])), Wide(upper[$0])) }
        return (point, (0..<n).filter { point[$0] > Wide(lower[$0]) && point[$0] < Wide(upper[$0]) })
    }
}
