import Testing
import GradientDescent

/// A user's own error, to see it come back unchanged.
private struct Overflow: Error, Equatable {
    var at: Int
}

/// A user's function as a type: f(x) = 1/2 Σ (x_i − 3)².
private struct ShiftedBowl: DifferentiableFunction {
    func value(at x: [Double], gradient: inout [Double]) throws -> Double {
        var loss = 0.0
        for i in x.indices {
            gradient[i] = x[i] - 3
            loss += 0.5 * gradient[i] * gradient[i]
        }
        return loss
    }
}

@Suite("The Swift API over arrays, typed optimizers and closures")
struct SwiftAPITests {
    @Test("the README's Swift example compiles, runs and finds (0, 1, 2)")
    func readmeExample() throws {
        // The README's "Swift" example, as written there.
        var x = [0.0, 0.0, 0.0]
        let report = try minimize(x: &x, optimizer: Adam(lr: 0.1),
                                  options: MinimizeOptions(gradientTolerance: 1e-8)) { x, gradient in
            var loss = 0.0
            for i in x.indices {
                let d = x[i] - Double(i)
                loss += 0.5 * d * d
                gradient[i] = d
            }
            return loss
        }
        print(report.stopReason, report.iterations, x)

        #expect(report.stopReason == .gradientTolerance)
        #expect(report.iterations > 10 && report.iterations < 10_000)
        for i in x.indices {
            #expect(abs(x[i] - Double(i)) < 1e-7)
        }
        #expect(report.loss < 1e-15)
    }

    @Test("every typed optimizer names a built-in rule and, at its defaults, equals it key by key")
    func typedDefaultsMatchTheRules() throws {
        let configurations: [any OptimizerConfiguration] = [
            SGD(), Adam(), AdamW(), RMSprop(), Adagrad(), Adadelta(), Adamax(), NAdam(), RAdam(), LBFGS(),
            Rprop(), ASGD(),
        ]
        #expect(Set(configurations.map(\.ruleName)) == Set(Optimizer.ruleNames))
        // The first-order rules' line-search keys stay at their defaults in a typed value.
        let lineSearchKeys: Set<String> = ["line_search", "c1", "shrink", "max_line_search_evaluations"]
        for configuration in configurations {
            let typed = try Optimizer(configuration, dimension: 2)
            let named = try Optimizer(rule: configuration.ruleName, dimension: 2)
            let ruleKeys = configuration.ruleName == "lbfgs" ? Set(named.keys) : Set(named.keys).subtracting(lineSearchKeys)
            #expect(Set(configuration.hyperparameters.map(\.key)) == ruleKeys, "\(configuration.ruleName)")
            for key in named.keys {
                #expect(try typed.value(of: key) == named.value(of: key), "\(configuration.ruleName).\(key)")
            }
        }
    }

    @Test("typed values reach the optimizer: Adam's betas, SGD's Nesterov momentum")
    func typedValuesAreSet() throws {
        let adam = try Optimizer(Adam(lr: 0.01, betas: (0.8, 0.95), eps: 1e-6, amsgrad: true), dimension: 3)
        #expect(try adam.value(of: "lr") == 0.01)
        #expect(try adam.value(of: "beta1") == 0.8)
        #expect(try adam.value(of: "beta2") == 0.95)
        #expect(try adam.value(of: "eps") == 1e-6)
        #expect(try adam.value(of: "amsgrad") == 1)
        let sgd = try Optimizer(SGD(lr: 0.1, momentum: 0.9, nesterov: true), dimension: 1)
        #expect(try sgd.value(of: "nesterov") == 1)
        #expect(try sgd.value(of: "momentum") == 0.9)
        #expect(throws: GradientDescentError.self) { try Optimizer(SGD(nesterov: true), dimension: 1) }
    }

    @Test("an array step equals a buffer step of the same rule, bit for bit")
    func arrayStepEqualsBufferStep() throws {
        let gradient = [0.5, -1.25, 3.0, 1e-3]
        var arrayX = [1.0, 2.0, -3.0, 0.25]
        var bufferX = arrayX
        let viaArrays = try Optimizer(RAdam(lr: 0.05, weightDecay: 0.1), dimension: 4)
        let viaBuffers = try Optimizer(rule: "radam", dimension: 4)
        try viaBuffers.set("lr", to: 0.05)
        try viaBuffers.set("weight_decay", to: 0.1)
        for _ in 0..<7 {
            try viaArrays.step(&arrayX, gradient: gradient)
            bufferX.withUnsafeMutableBufferPointer { x in
                gradient.withUnsafeBufferPointer { g in viaBuffers.step(x, gradient: g) }
            }
        }
        #expect(arrayX.map(\.bitPattern) == bufferX.map(\.bitPattern))
        var short = [1.0]
        #expect(throws: GradientDescentError.self) { try viaArrays.step(&short, gradient: gradient) }
    }

    @Test("a DifferentiableFunction type and a built-in objective run through the same minimize")
    func typesAndBuiltIns() throws {
        var x = [0.0, 10.0]
        let report = try minimize(ShiftedBowl(), x: &x, optimizer: SGD(lr: 0.5, momentum: 0.5),
                                  options: MinimizeOptions(gradientTolerance: 1e-10))
        #expect(report.stopReason == .gradientTolerance)
        #expect(abs(x[0] - 3) < 1e-9 && abs(x[1] - 3) < 1e-9)

        var y = [-1.2, 1.0]
        try minimize(Rosenbrock(dimension: 2), x: &y, optimizer: Adam(lr: 0.02),
                     options: MinimizeOptions(maxIterations: 20_000, gradientTolerance: 1e-8))
        #expect(abs(y[0] - 1) < 1e-5 && abs(y[1] - 1) < 1e-5)
    }

    @Test("a mini-batch closure sees every sample once per epoch and fits a line")
    func miniBatchClosure() throws {
        let inputs = (0..<64).map { Double($0) / 32 - 1 }
        let targets = inputs.map { 2 * $0 + 1 }
        var seen = [Int](repeating: 0, count: inputs.count)
        var theta = [0.0, 0.0]
        let report = try minimize(x: &theta, samples: inputs.count, optimizer: SGD(lr: 0.2, momentum: 0.5),
                                  options: MinimizeOptions(maxEpochs: 200, batchSize: 8, seed: 7)) { theta, gradient, batch in
            var loss = 0.0
            for i in batch {
                seen[i] += 1
                let residual = theta[0] * inputs[i] + theta[1] - targets[i]
                loss += 0.5 * residual * residual
                gradient[0] += residual * inputs[i]
                gradient[1] += residual
            }
            let count = Double(batch.count)
            gradient[0] /= count
            gradient[1] /= count
            return loss / count
        }
        #expect(report.stopReason == .maxEpochs)
        #expect(report.epochs == 200)
        #expect(report.iterations == 200 * 8)
        // Every sample once per batch pass of every epoch, plus the same count from full
        // evaluations (which pass all indices).
        #expect(Set(seen).count == 1)
        #expect(abs(theta[0] - 2) < 1e-9 && abs(theta[1] - 1) < 1e-9)
    }

    @Test("an error thrown by the function comes back unchanged, x at the last finite iterate")
    func functionErrorIsRethrown() {
        var x = [0.0]
        var calls = 0
        do {
            try minimize(x: &x, optimizer: SGD(lr: 0.1)) { x, gradient in
                calls += 1
                if calls == 4 { throw Overflow(at: calls) }
                gradient[0] = x[0] - 1
                return 0.5 * gradient[0] * gradient[0]
            }
            Issue.record("minimize returned after the function threw")
        } catch .functionThrew(let error, let report) {
            #expect(error as? Overflow == Overflow(at: 4))
            #expect(report.stopReason == .callbackError)
            #expect(report.iterations == 3)
            // Three SGD steps from 0 toward 1 at lr 0.1 reached 1 - 0.9^3, but its evaluation
            // threw: x is the iterate before it, 1 - 0.9^2, the last with a finite loss.
            #expect(abs(x[0] - (1 - 0.81)) < 1e-15)
        } catch {
            Issue.record("expected .functionThrew, got \(error)")
        }
    }

    @Test("a NaN loss fails the run; bad arguments fail before it, x unchanged")
    func failures() {
        var x = [1.0, 2.0]
        do {
            try minimize(x: &x, optimizer: Adam()) { x, gradient in
                gradient[0] = 1
                return x[0] < 0.99 ? .nan : x[0]
            }
            Issue.record("a NaN loss did not fail")
        } catch .runFailed(let error, let report) {
            #expect(error.status == .nonFinite)
            #expect(report.stopReason == .nonFinite)
            #expect(x[0] >= 0.99 && x[0] < 0.992)   // the last finite iterate
        } catch {
            Issue.record("expected .runFailed, got \(error)")
        }

        var y = [1.0, 2.0]
        do {
            try minimize(x: &y, optimizer: Adam(lr: -1)) { _, _ in 0 }
            Issue.record("a negative lr was accepted")
        } catch .invalidArgument(let error) {
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("lr"))
        } catch {
            Issue.record("expected .invalidArgument, got \(error)")
        }
        #expect(y == [1.0, 2.0])
    }

    @Test("the progress closure sees every update and stops the run")
    func progressStops() throws {
        var x = [5.0]
        var seen: [UInt64] = []
        let report = try minimize(x: &x, optimizer: SGD(lr: 0.1),
                                  progress: { p in
                                      seen.append(p.iteration)
                                      #expect(p.learningRate == 0.1)
                                      return p.iteration == 5 ? .stop : .continue
                                  }) { x, gradient in
            gradient[0] = x[0]
            return 0.5 * x[0] * x[0]
        }
        #expect(seen == [1, 2, 3, 4, 5])
        #expect(report.stopReason == .progress)
        #expect(report.iterations == 5)
    }
}
