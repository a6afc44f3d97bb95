import Testing
@testable import GradientDescent

/// The compact representation behind lbfgs's step in a box agrees with the two-loop
/// recursion, and the Cauchy point and subspace step behave as L-BFGS-B's.
@Suite("Bounded L-BFGS step: Cauchy point and subspace minimization")
struct BoxedStepTests {
    static let n = 7

    /// A history of `pairs` pairs from the quadratic with Hessian diag(1, 3, ..., 13) plus a
    /// coupling, so that y = A s exactly.
    static func history(pairs: Int, capacity: Int) throws -> LBFGSHistory {
        let history = try LBFGSHistory(dimension: n, capacity: capacity)
        var x = [Double](repeating: 0, count: n), previous = x
        var g = x, previousG = x
        for k in 0..<pairs {
            previous = x
            previousG = gradient(previous)
            for i in 0..<n { x[i] = previous[i] + Double((i * 7 + k * 3) % 5) * 0.1 - 0.2 + (i == k % n ? 0.3 : 0) }
            g = gradient(x)
            #expect(history.add(x: x, previousX: previous, gradient: g, previousGradient: previousG))
        }
        return history
    }

    static func gradient(_ x: [Double]) -> [Double] {
        (0..<n).map { i in
            Double(2 * i + 1) * x[i] + 0.5 * (i > 0 ? x[i - 1] : 0) + 0.5 * (i < n - 1 ? x[i + 1] : 0) - 1
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
}
