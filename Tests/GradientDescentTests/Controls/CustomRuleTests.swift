import Testing
@testable import GradientDescent

@Suite("Custom update rules and the gradient check") struct CustomRuleTests {
    /// PyTorch's SGD with momentum 0.9 (dampening 0), with its buffer in the rule's state.
    static let momentum = try! CustomRule(name: "swift_momentum_test", stateSize: 1) { x, g, lr, step, state in
        for i in x.indices {
            let b = step == 1 ? g[i] : state[i] * 0.9 + 1.0 * g[i]
            state[i] = b
            x[i] = x[i] + -lr * b
        }
    }

    @Test("a registered custom rule implementing SGD with momentum equals the built-in, bit for bit")
    func customEqualsBuiltIn() throws {
        try Optimizer.register(CustomRuleTests.momentum)
        defer { try? Optimizer.unregister(rule: "swift_momentum_test") }
        #expect(throws: GradientDescentError.self) { try Optimizer.register(CustomRuleTests.momentum) }
        let custom = try optimizer("swift_momentum_test", 3, ["lr": 0.05])
        let builtIn = try optimizer("sgd", 3, ["lr": 0.05, "momentum": 0.9])
        var a = [0.0, 0.0, 0.0], b = [0.0, 0.0, 0.0]
        for (opt, x) in [(custom, 0), (builtIn, 1)] {
            let s = try schedule("exponential", ["gamma": 0.9])
            if x == 0 {
                _ = try descend(SmallRegression(), opt, &a) { $0.batchSize = 4; $0.maxIterations = 40; $0.schedule = s }
            } else {
                _ = try descend(SmallRegression(), opt, &b) { $0.batchSize = 4; $0.maxIterations = 40; $0.schedule = s }
            }
        }
        #expect(a == b)
        let copy = try custom.saveState().withUnsafeBytes { try Optimizer(state: $0) }
        #expect(copy.rule == "swift_momentum_test")
        #expect(copy.stepCount == 40)
    }

    @Test("a built-in name cannot be registered; a failing rule stops the run with its status")
    func failures() throws {
        #expect(throws: GradientDescentError.self) {
            try Optimizer.register(try CustomRule(name: "adam", stateSize: 0) { _, _, _, _, _ in })
        }
        #expect(throws: GradientDescentError.self) { try CustomRule(name: "", stateSize: 0) { _, _, _, _, _ in } }
        let failing = try CustomRule(name: "failing", stateSize: 0) { _, _, _, step, _ throws(GradientDescentError) in
            if step == 3 { throw GradientDescentError(.callback, "no third step") }
        }
        var x = [0.0, 0.0, 0.0]
        let report = try descend(NoisyBowl([1, 2, 3]), try Optimizer(custom: failing, dimension: 3), &x) {
            $0.maxIterations = 10
        }
        #expect(report.failure?.status == .callback)
        #expect(report.iterations == 2)
    }

    @Test("the gradient check passes a correct gradient and names the component of a wrong one")
    func gradientCheck() throws {
        let bowl = NoisyBowl([1, -2, 0.5, 4])
        let x = [0.3, 0.1, -2.0, 7.0]
        let good = try x.withUnsafeBufferPointer { try checkGradient(bowl, at: $0) }
        #expect(good.error < 1e-9)
        #expect(good.evaluations == 9)

        final class Wrong: Objective {
            var dimension: Int { 3 }
            func evaluate(at x: UnsafeBufferPointer<Double>,
                          gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
                gradient?[0] = 2 * x[0]
                gradient?[1] = 3 * x[1] * x[1] * 1.001 // 0.1% off
                gradient?[2] = 1
                return x[0] * x[0] + x[1] * x[1] * x[1] + x[2]
            }
        }
        let bad = try [1.0, 2.0, 3.0].withUnsafeBufferPointer { try checkGradient(Wrong(), at: $0) }
        #expect(bad.worstIndex == 1)
        #expect(abs(bad.analytic - 12.012) < 1e-12)
        #expect(abs(bad.numeric - 12) < 1e-7)
        #expect(abs(bad.relativeError - 0.012 / 12.012) < 1e-7)
    }
}
