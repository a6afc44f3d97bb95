import Testing
@testable import GradientDescent

@Suite("Optimizer: names, keys, defaults, validation, reset")
struct OptimizerTests {
    @Test("rule names are the header's, in its order")
    func ruleNames() {
        #expect(Optimizer.ruleNames == ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "lbfgs",
                                        "rprop", "asgd"])
    }

    @Test("keys and defaults equal PyTorch's, in constructor order, lr first, then the line-search keys",
          arguments: Optimizer.ruleNames.filter { $0 != "lbfgs" })
    func defaultsArePyTorchs(_ rule: String) throws {
        let optimizer = try Optimizer(rule: rule, dimension: 3)
        let expected = PyTorchDefaults.table[rule]!
        #expect(optimizer.rule == rule)
        #expect(optimizer.dimension == 3)
        #expect(optimizer.keys == expected.map(\.key) + ["line_search", "c1", "shrink", "max_line_search_evaluations"])
        #expect(try optimizer.value(of: "line_search") == 0)
        #expect(!optimizer.usesLineSearch)
        #expect(optimizer.keys.first == "lr")
        for (key, value) in expected {
            #expect(try optimizer.value(of: key) == value, "\(rule).\(key)")
        }
        #expect(optimizer.learningRate == expected.first!.value)
        #expect(optimizer.stepCount == 0)
        try optimizer.validate()
    }

    @Test("an unknown rule is .unknownName and the message lists the valid names")
    func unknownRule() {
        let error = #expect(throws: GradientDescentError.self) { try Optimizer(rule: "adamm", dimension: 4) }
        #expect(error?.status == .unknownName)
        let message = error?.message ?? ""
        #expect(message.contains("'adamm'"))
        for name in Optimizer.ruleNames { #expect(message.contains(name)) }
    }

    @Test("a dimension below 1 is .invalidArgument", arguments: [0, -1, Int.min])
    func badDimension(_ dimension: Int) {
        let error = #expect(throws: GradientDescentError.self) { try Optimizer(rule: "sgd", dimension: dimension) }
        #expect(error?.status == .invalidArgument)
        #expect(error?.message == "dimension must be > 0, got \(dimension)")
    }

    @Test("an unknown key is .unknownKey for set and get; the message names key and rule and lists the keys")
    func unknownKey() throws {
        let optimizer = try Optimizer(rule: "adam", dimension: 2)
        let attempts: [() throws -> Void] = [
            { try optimizer.set("betas", to: 0.9) },
            { _ = try optimizer.value(of: "betas") },
        ]
        for attempt in attempts {
            let error = #expect(throws: GradientDescentError.self) { try attempt() }
            #expect(error?.status == .unknownKey)
            #expect(error?.message == "unknown key 'betas' for optimizer 'adam'; valid keys: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay, line_search, c1, shrink, max_line_search_evaluations")
        }
        // A key of another rule is unknown here too.
        #expect(throws: GradientDescentError.self) { try optimizer.set("momentum", to: 0.9) }
    }

    @Test("out-of-range values are .invalidArgument with a message naming key and value, and leave the value unchanged",
          arguments: [
              ("sgd", "lr", -0.1, "lr must be finite and >= 0, got -0.1"),
              ("sgd", "lr", Double.nan, "lr must be finite and >= 0, got nan"),
              ("sgd", "lr", Double.infinity, "lr must be finite and >= 0, got inf"),
              ("sgd", "momentum", -0.5, "momentum must be finite and >= 0, got -0.5"),
              ("sgd", "dampening", Double.nan, "dampening must be finite, got nan"),
              ("sgd", "nesterov", 0.5, "nesterov must be 0 or 1, got 0.5"),
              ("sgd", "maximize", 2, "maximize must be 0 or 1, got 2.0"),
              ("sgd", "weight_decay", -1e-4, "weight_decay must be finite and >= 0, got -0.0001"),
              ("adam", "beta1", 1, "beta1 must be in [0, 1), got 1.0"),
              ("adam", "beta2", -0.1, "beta2 must be in [0, 1), got -0.1"),
              ("adam", "beta1", Double.nan, "beta1 must be in [0, 1), got nan"),
              ("adam", "eps", -1e-8, "eps must be finite and >= 0, got -1e-08"),
              ("adam", "amsgrad", 0.5, "amsgrad must be 0 or 1, got 0.5"),
              ("adam", "amsgrad", Double.nan, "amsgrad must be 0 or 1, got nan"),
              ("adamw", "weight_decay", Double.infinity, "weight_decay must be finite and >= 0, got inf"),
              ("rmsprop", "alpha", 1.5, "alpha must be in [0, 1], got 1.5"),
              ("rmsprop", "alpha", -0.01, "alpha must be in [0, 1], got -0.01"),
              ("rmsprop", "centered", -1, "centered must be 0 or 1, got -1.0"),
              ("adagrad", "lr_decay", -0.1, "lr_decay must be finite and >= 0, got -0.1"),
              ("adagrad", "initial_accumulator_value", -1, "initial_accumulator_value must be finite and >= 0, got -1.0"),
              ("adadelta", "rho", 1.01, "rho must be in [0, 1], got 1.01"),
              ("adadelta", "rho", Double.nan, "rho must be in [0, 1], got nan"),
              ("adamax", "beta2", 1, "beta2 must be in [0, 1), got 1.0"),
              ("nadam", "momentum_decay", -0.004, "momentum_decay must be finite and >= 0, got -0.004"),
              ("radam", "beta1", -Double.infinity, "beta1 must be in [0, 1), got -inf"),
          ])
    func outOfRange(_ rule: String, _ key: String, _ value: Double, _ message: String) throws {
        let optimizer = try Optimizer(rule: rule, dimension: 2)
        let before = try optimizer.value(of: key)
        let error = #expect(throws: GradientDescentError.self) { try optimizer.set(key, to: value) }
        #expect(error?.status == .invalidArgument)
        #expect(error?.message == message)
        #expect(try optimizer.value(of: key) == before)
    }

    @Test("boundary values PyTorch accepts are accepted", arguments: [
        ("sgd", "lr", 0.0), ("sgd", "dampening", -0.5), ("sgd", "dampening", 1.5), ("sgd", "nesterov", 1),
        ("adam", "beta1", 0), ("adam", "beta2", 0.999999), ("adam", "eps", 0), ("adam", "amsgrad", 1),
        ("rmsprop", "alpha", 0), ("rmsprop", "alpha", 1), ("adadelta", "rho", 0), ("adadelta", "rho", 1),
        ("adagrad", "initial_accumulator_value", 0.1), ("nadam", "momentum_decay", 0),
    ])
    func boundaries(_ rule: String, _ key: String, _ value: Double) throws {
        let optimizer = try Optimizer(rule: rule, dimension: 2)
        try optimizer.set(key, to: value)
        #expect(try optimizer.value(of: key) == value)
    }

    @Test("nesterov needs momentum > 0 and zero dampening, checked by validate()")
    func nesterovValidation() throws {
        let optimizer = try Optimizer(rule: "sgd", dimension: 2)
        try optimizer.set("nesterov", to: 1)  // accepted alone: the combination is checked later
        var error = #expect(throws: GradientDescentError.self) { try optimizer.validate() }
        #expect(error?.status == .invalidArgument)
        #expect(error?.message.contains("nesterov requires momentum > 0 and dampening = 0") == true)

        try optimizer.set("momentum", to: 0.9)
        try optimizer.validate()

        try optimizer.set("dampening", to: 0.1)
        error = #expect(throws: GradientDescentError.self) { try optimizer.validate() }
        #expect(error?.status == .invalidArgument)

        try optimizer.set("dampening", to: 0)
        try optimizer.set("nesterov", to: 0)
        try optimizer.set("momentum", to: 0)
        try optimizer.validate()
    }

    @Test("learningRate reads and writes the lr key", arguments: Optimizer.ruleNames)
    func learningRateIsLR(_ rule: String) throws {
        let optimizer = try Optimizer(rule: rule, dimension: 2)
        optimizer.learningRate = 0.125
        #expect(try optimizer.value(of: "lr") == 0.125)
        try optimizer.set("lr", to: 0.5)
        #expect(optimizer.learningRate == 0.5)
    }

    /// Settings under which every piece of state matters: moments, maxima, accumulators,
    /// SGD's first-step buffer and NAdam's momentum product.
    static let stateful: [RuleCase] = [
        RuleCase(rule: "sgd", overrides: ["lr": 0.02, "momentum": 0.9, "dampening": 0.2]),
        RuleCase(rule: "adam", overrides: ["lr": 0.05, "amsgrad": 1, "weight_decay": 0.1]),
        RuleCase(rule: "adamw", overrides: ["lr": 0.05, "amsgrad": 1]),
        RuleCase(rule: "rmsprop", overrides: ["centered": 1, "momentum": 0.8]),
        RuleCase(rule: "adagrad", overrides: ["lr": 0.1, "initial_accumulator_value": 0.5, "lr_decay": 0.05]),
        RuleCase(rule: "adadelta", overrides: [:]),
        RuleCase(rule: "adamax", overrides: ["lr": 0.05]),
        RuleCase(rule: "nadam", overrides: ["lr": 0.05]),
        RuleCase(rule: "radam", overrides: ["lr": 0.05]),
    ]

    @Test("reset() gives the same trajectory, bit for bit, as a fresh optimizer, and keeps hyper-parameters",
          arguments: stateful)
    func resetStartsAfresh(_ c: RuleCase) throws {
        let fresh = try c.makeOptimizer()
        let expected = c.problem.libraryTrajectory(fresh)

        let reused = try c.makeOptimizer()
        _ = c.problem.libraryTrajectory(reused, steps: 137)
        #expect(reused.stepCount == 137)
        reused.reset()
        #expect(reused.stepCount == 0)
        for (key, value) in c.settings {
            #expect(try reused.value(of: key) == value)
        }
        #expect(c.problem.libraryTrajectory(reused) == expected)
    }

    @Test("adagrad's accumulator starts at initial_accumulator_value at the first step")
    func adagradAccumulatorStart() throws {
        let optimizer = try Optimizer(rule: "adagrad", dimension: 3)
        try optimizer.set("initial_accumulator_value", to: 0.25)
        var x: [Double] = [1, 2, 3]
        let g: [Double] = [0.5, -1, 2]
        x.withUnsafeMutableBufferPointer { xBuffer in
            g.withUnsafeBufferPointer { optimizer.step(xBuffer, gradient: $0) }
        }
        let sum = optimizer.state.buffer(named: "sum")!
        #expect(Array(sum) == [0.25 + 0.25, 0.25 + 1, 0.25 + 4])
    }

    @Test("state buffers carry PyTorch's state names", arguments: [
        ("sgd", ["momentum_buffer"]),
        ("adam", ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]),
        ("adamw", ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]),
        ("rmsprop", ["square_avg", "grad_avg", "momentum_buffer"]),
        ("adagrad", ["sum"]),
        ("adadelta", ["square_avg", "acc_delta"]),
        ("adamax", ["exp_avg", "exp_inf"]),
        ("nadam", ["exp_avg", "exp_avg_sq"]),
        ("radam", ["exp_avg", "exp_avg_sq"]),
    ])
    func stateNames(_ rule: String, _ buffers: [String]) throws {
        let optimizer = try Optimizer(rule: rule, dimension: 5)
        #expect(optimizer.state.layout.bufferNames == buffers)
        for name in buffers {
            #expect(optimizer.state.buffer(named: name)?.count == 5)
        }
    }

    @Test("a first SGD step with momentum copies the gradient into the buffer, undampened")
    func sgdFirstMomentumStep() throws {
        let optimizer = try Optimizer(rule: "sgd", dimension: 2)
        try optimizer.set("lr", to: 0.5)
        try optimizer.set("momentum", to: 0.9)
        try optimizer.set("dampening", to: 0.5)
        var x: [Double] = [1, -1]
        let g: [Double] = [2, 4]
        for _ in 0..<2 {
            x.withUnsafeMutableBufferPointer { xBuffer in
                g.withUnsafeBufferPointer { optimizer.step(xBuffer, gradient: $0) }
            }
        }
        // buf1 = g = (2, 4); x1 = x0 - 0.5 buf1 = (0, -3)
        // buf2 = 0.9 buf1 + 0.5 g = (2.8, 5.6); x2 = x1 - 0.5 buf2 = (-1.4, -5.8)
        #expect(Array(optimizer.state.buffer(named: "momentum_buffer")!) == [0.9 * 2 + 0.5 * 2, 0.9 * 4 + 0.5 * 4])
        #expect(x == [0 - 0.5 * (0.9 * 2 + 0.5 * 2), -3 - 0.5 * (0.9 * 4 + 0.5 * 4)])
    }
}
