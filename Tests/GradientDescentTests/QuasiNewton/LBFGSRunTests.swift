import Testing
@testable import GradientDescent

/// f(x) = Σ 100 (x_{i+1} - x_i²)² + (1 - x_i)², for the Swift API's lbfgs runs.
final class ChainedRosenbrock: Objective {
    let dimension: Int
    var calls = 0

    init(dimension: Int) { self.dimension = dimension }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        calls += 1
        var f = 0.0
        if let gradient { for i in 0..<dimension { gradient[i] = 0 } }
        for i in 0..<(dimension - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            f += 100 * a * a + b * b
            gradient?[i] += -400 * x[i] * a - 2 * b
            gradient?[i + 1] += 200 * a
        }
        return f
    }
}

@Suite("lbfgs through the Swift API: iterations, evaluations, bounds, refusals")
struct LBFGSRunTests {
    @Test("lbfgs reaches the minimizer; every evaluation is counted, iterations are accepted steps")
    func unbounded() throws {
        let objective = ChainedRosenbrock(dimension: 4)
        let optimizer = try Optimizer(rule: "lbfgs", dimension: 4)
        var x = [-1.2, 1, -1.2, 1]
        var options = MinimizeOptions()
        options.gradientTolerance = 1e-9
        var iterations: [UInt64] = []
        options.progress = { info in
            iterations.append(info.iteration)
            return false
        }
        let report = try x.withUnsafeMutableBufferPointer { buffer in
            try minimize(objective, optimizer: optimizer, x: buffer, options: options)
        }
        #expect(report.stopReason == .gradientTolerance)
        for value in x { #expect(abs(value - 1) < 1e-8) }
        #expect(report.evaluations == UInt64(objective.calls))
        #expect(report.evaluations > report.iterations)
        #expect(iterations == Array(1...report.iterations))
        #expect(optimizer.stepCount == Int(report.iterations))
        #expect(optimizer.quasiNewton!.count == 10)
    }

    @Test("bounds: x0 is projected, the run stays in the box and stops at a stationary point of it")
    func bounded() throws {
        let objective = ChainedRosenbrock(dimension: 2)
        let optimizer = try Optimizer(rule: "lbfgs", dimension: 2)
        var x = [-1.2, 1.0]
        var options = MinimizeOptions()
        options.gradientTolerance = 1e-10
        options.bounds = try Bounds(lower: [-.infinity, 1.5], upper: [0.5, .infinity], dimension: 2)
        let report = try x.withUnsafeMutableBufferPointer { buffer in
            try minimize(objective, optimizer: optimizer, x: buffer, options: options)
        }
        #expect(report.x0Projected)
        #expect(report.stopReason == .gradientTolerance)
        #expect(x[1] == 1.5)
        // the other coordinate minimizes 100 (1.5 - x²)² + (1 - x)² with x <= 0.5: x ≈ -1.2210
        #expect(abs(x[0] + 1.22102624) < 1e-8)
    }

    @Test("bounds with no finite entry give the unbounded run, bit for bit", arguments: ["lbfgs", "adam"])
    func infiniteBoundsAreNoBounds(_ rule: String) throws {
        func run(_ bounds: Bounds?) throws -> ([Double], Report) {
            let objective = ChainedRosenbrock(dimension: 3)
            let optimizer = try Optimizer(rule: rule, dimension: 3)
            var x = [-1.2, 1, -1.2]
            var options = MinimizeOptions()
            options.maxIterations = 200
            options.bounds = bounds
            let report = try x.withUnsafeMutableBufferPointer { buffer in
                try minimize(objective, optimizer: optimizer, x: buffer, options: options)
            }
            return (x, report)
        }
        let (plain, plainReport) = try run(nil)
        let open = try Bounds(lower: .init(repeating: -.infinity, count: 3),
                              upper: .init(repeating: .infinity, count: 3), dimension: 3)
        let (boxed, boxedReport) = try run(open)
        #expect(plain == boxed)
        #expect(plainReport.evaluations == boxedReport.evaluations)
        #expect(plainReport.iterations == boxedReport.iterations)
        #expect(!boxedReport.x0Projected)
    }

    @Test("a mini-batch run, a schedule or clipping with lbfgs is refused before anything runs")
    func refusals() throws {
        let objective = ChainedRosenbrock(dimension: 2)
        let optimizer = try Optimizer(rule: "lbfgs", dimension: 2)
        var x = [-1.2, 1.0]
        var options = MinimizeOptions()
        options.clipping = GradientClipping(maxNorm: 1, maxValue: 0)
        let error = #expect(throws: GradientDescentError.self) {
            try x.withUnsafeMutableBufferPointer { buffer in
                _ = try minimize(objective, optimizer: optimizer, x: buffer, options: options)
            }
        }
        #expect(error?.status == .invalidArgument)
        #expect(objective.calls == 0)
        #expect(x == [-1.2, 1.0])
        #expect(throws: GradientDescentError.self) { try optimizer.set("history_size", to: 0) }
        #expect(try optimizer.value(of: "history_size") == 10)
    }
}
