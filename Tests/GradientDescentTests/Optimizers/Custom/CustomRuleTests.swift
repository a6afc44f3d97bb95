import Testing
@testable import GradientDescent

@Suite("Custom update rules") struct CustomRuleTests {
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
                _ = try run(SmallRegression(), opt, &a) { $0.batchSize = 4; $0.maxIterations = 40; $0.schedule = s }
            } else {
                _ = try run(SmallRegression(), opt, &b) { $0.batchSize = 4; $0.maxIterations = 40; $0.schedule = s }
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
        let report = try run(Bowl([1, 2, 3]), try Optimizer(custom: failing, dimension: 3), &x) {
            $0.maxIterations = 10
        }
        #expect(report.failure?.status == .callback)
        #expect(report.iterations == 2)
    }
}
