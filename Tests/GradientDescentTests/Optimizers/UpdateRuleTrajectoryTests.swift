import Testing
@testable import GradientDescent

/// One configuration of one rule: PyTorch's defaults with `overrides`.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let overrides: [String: Double]

    var settings: [String: Double] { PyTorchDefaults.settings(rule, overrides) }

    var testDescription: String {
        ([rule] + overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: " ")
    }

    func makeOptimizer() throws -> Optimizer {
        let optimizer = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try optimizer.set(key, to: value)
        }
        try optimizer.validate()
        return optimizer
    }

    var problem: TrajectoryProblem { TrajectoryProblem(concave: overrides["maximize"] == 1) }

    /// Every combination of the axes' choices, each merged over `base`, plus `extras`.
    static func matrix(_ rule: String, base: [String: Double], axes: [[[String: Double]]],
                       extras: [[String: Double]] = []) -> [RuleCase] {
        var combinations: [[String: Double]] = [base]
        for axis in axes {
            combinations = combinations.flatMap { partial in
                axis.map { choice in partial.merging(choice) { $1 } }
            }
        }
        combinations += extras.map { base.merging($0) { $1 } }
        return combinations.map { RuleCase(rule: rule, overrides: $0) }
    }

    static let maximize: [[String: Double]] = [["maximize": 0], ["maximize": 1]]

    static func values(_ key: String, _ choices: Double...) -> [[String: Double]] {
        choices.map { [key: $0] }
    }

    static let all: [RuleCase] =
        matrix("sgd", base: ["lr": 0.02], axes: [
            maximize, values("weight_decay", 0, 0.05),
            [[:], ["momentum": 0.9], ["momentum": 0.9, "dampening": 0.3], ["momentum": 0.9, "nesterov": 1]],
        ])
        + matrix("adam", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.1), values("amsgrad", 0, 1),
        ], extras: [["beta1": 0.3, "beta2": 0.8, "eps": 1e-3, "amsgrad": 1],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1, "amsgrad": 1, "maximize": 1]])
        + matrix("adamw", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.01, 0.1), values("amsgrad", 0, 1),
        ], extras: [["beta1": 0.3, "beta2": 0.8, "eps": 1e-3, "amsgrad": 1]])
        + matrix("rmsprop", base: ["lr": 0.01], axes: [
            maximize, values("weight_decay", 0, 0.05), values("centered", 0, 1), values("momentum", 0, 0.8),
        ], extras: [["alpha": 0.3], ["alpha": 0.3, "centered": 1, "momentum": 0.5, "eps": 1e-3]])
        + matrix("adagrad", base: ["lr": 0.1], axes: [
            maximize, values("weight_decay", 0, 0.05), values("lr_decay", 0, 0.05),
            values("initial_accumulator_value", 0, 0.5),
        ], extras: [["eps": 1e-3]])
        + matrix("adadelta", base: [:], axes: [
            maximize, values("weight_decay", 0, 0.05),
        ], extras: [["rho": 0.5, "lr": 0.5, "eps": 1e-4]])
        + matrix("adamax", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.05),
        ], extras: [["beta1": 0.2, "beta2": 0.9, "eps": 1e-3]])
        + matrix("nadam", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.05), values("momentum_decay", 0.004, 0.05),
        ], extras: [["beta1": 0.4, "beta2": 0.95, "eps": 1e-3],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1, "maximize": 1]])
        + matrix("radam", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.05),
        ], extras: [["beta1": 0.45, "beta2": 0.9], ["beta2": 0.99, "eps": 1e-3],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1],
                    ["weight_decay": 0.1, "decoupled_weight_decay": 1, "maximize": 1]])
        + matrix("rprop", base: ["lr": 0.05], axes: [maximize],
                 extras: [["etaminus": 0.3, "etaplus": 1.5], ["step_size_min": 0.03], ["step_size_max": 0.08]])
        + matrix("asgd", base: ["lr": 0.05], axes: [
            maximize, values("weight_decay", 0, 0.05),
        ], extras: [["lambd": 0.01, "alpha": 0.5]])  // t0 moves only the average ax, not x
}

@Suite("Update rules follow the published torch.optim algorithms")
struct UpdateRuleTrajectoryTests {
    static let tolerance = 1e-12

    @Test("300 steps match the reference written from PyTorch's algorithm box", arguments: RuleCase.all)
    func matchesReference(_ c: RuleCase) throws {
        let optimizer = try c.makeOptimizer()
        let library = c.problem.libraryTrajectory(optimizer)
        let reference = c.problem.referenceTrajectory(c.rule, c.settings)
        let worst = worstRelativeDistance(library, from: reference)
        #expect(worst.distance <= Self.tolerance,
                "relative distance \(worst.distance) at step \(worst.step)")
        #expect(optimizer.stepCount == TrajectoryProblem.steps)
        // Not a vacuous comparison: the iterate moved and stayed finite.
        let moved = zip(library.last!, TrajectoryProblem.start).map { abs($0 - $1) }.max()!
        #expect(moved > 0.05, "the iterate moved only \(moved)")
        #expect(library.last!.allSatisfy { $0.isFinite })
    }

    @Test("every setting a case changes changes the trajectory", arguments: RuleCase.all)
    func everyOverrideMatters(_ c: RuleCase) {
        let reference = c.problem.referenceTrajectory(c.rule, c.settings)
        let defaults = PyTorchDefaults.settings(c.rule, [:])
        for (key, value) in c.overrides where key != "maximize" && value != defaults[key] {
            var without = c.settings
            without[key] = defaults[key]
            let other = c.problem.referenceTrajectory(c.rule, without)
            #expect(worstRelativeDistance(other, from: reference).distance > 1e-6,
                    "\(key)=\(value) has no visible effect")
        }
    }

    @Test("maximize on the negated objective retraces minimize", arguments: Optimizer.ruleNames.filter { $0 != "lbfgs" })
    func maximizeMirrorsMinimize(_ rule: String) throws {
        let lr: [String: Double] = rule == "adadelta" ? [:] : ["lr": 0.03]
        let decay: [String: Double] = rule == "rprop" ? [:] : ["weight_decay": 0.02]  // Rprop has none
        let minimize = try RuleCase(rule: rule, overrides: lr.merging(decay) { $1 })
            .makeOptimizer()
        let maximize = try RuleCase(rule: rule, overrides: lr.merging(decay.merging(["maximize": 1]) { $1 }) { $1 })
            .makeOptimizer()
        let down = TrajectoryProblem(concave: false).libraryTrajectory(minimize)
        let up = TrajectoryMirror.libraryTrajectory(maximize)
        #expect(down == up)
    }

    @Test("a learning rate changed between steps is used from the next step", arguments: ["sgd", "adam", "nadam", "adagrad"])
    func learningRateSchedule(_ rule: String) throws {
        let c = RuleCase(rule: rule, overrides: rule == "sgd" ? ["momentum": 0.9] : [:])
        let schedule = { (t: Int) in 0.04 * (1 + 0.5 * Double((t * 7) % 11) / 11) }
        let optimizer = try c.makeOptimizer()
        let library = c.problem.libraryTrajectory(optimizer, learningRate: schedule)
        let reference = c.problem.referenceTrajectory(rule, c.settings, learningRate: schedule)
        #expect(worstRelativeDistance(library, from: reference).distance <= Self.tolerance)
    }
}

/// The negated gradient sequence of `TrajectoryProblem(concave: false)`: what a caller
/// maximizing -f passes. Maximizing it must give bit for bit the minimization of f.
enum TrajectoryMirror {
    static func libraryTrajectory(_ optimizer: Optimizer) -> [[Double]] {
        let problem = TrajectoryProblem(concave: false)
        var x = TrajectoryProblem.start
        var trajectory: [[Double]] = []
        for t in 1...TrajectoryProblem.steps {
            let g = problem.gradient(at: x, step: t).map { -$0 }
            x.withUnsafeMutableBufferPointer { xBuffer in
                g.withUnsafeBufferPointer { optimizer.step(xBuffer, gradient: $0) }
            }
            trajectory.append(x)
        }
        return trajectory
    }
}
