import Testing
@testable import GradientDescent

@Suite("Parameter groups: slices of x with their own hyper-parameters")
struct ParameterGroupTests {
    static let problem = TrajectoryProblem(concave: false)
    static let starts = [0, 2, 5]  // groups of 2, 3 and 2 of the problem's 7 parameters
    /// The rules that take groups: every one but lbfgs (a full-x method, run by gd_minimize).
    static let groupedRules = Optimizer.ruleNames.filter { $0 != "lbfgs" }

    /// Settings per group that differ from each other in lr and in one more key the rule has.
    static func groupSettings(_ rule: String) -> [[String: Double]] {
        let second: [String: Double] = switch rule {
        case "sgd": ["momentum": 0.9]
        case "rmsprop": ["centered": 1, "momentum": 0.5]
        case "adagrad": ["lr_decay": 0.05]
        case "adadelta": ["rho": 0.5]
        case "rprop": ["etaminus": 0.3]
        case "asgd": ["t0": 20, "lambd": 0.01]
        case "nadam": ["momentum_decay": 0.05, "beta1": 0.6]
        default: ["weight_decay": 0.05]
        }
        return [["lr": 0.05], second.merging(["lr": 0.02]) { $1 }, ["lr": 0.03]]
    }

    static func slice(_ values: [Double], _ group: Int) -> [Double] {
        let end = group + 1 < starts.count ? starts[group + 1] : values.count
        return Array(values[starts[group]..<end])
    }

    @Test("a grouped step equals separate optimizers over the slices, bit for bit", arguments: groupedRules)
    func groupsAreSeparateOptimizers(_ rule: String) throws {
        let settings = Self.groupSettings(rule)
        let grouped = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
        try grouped.setGroups(starts: Self.starts)
        var separate: [Optimizer] = []
        for (group, values) in settings.enumerated() {
            let optimizer = try Optimizer(rule: rule, dimension: Self.slice(TrajectoryProblem.start, group).count)
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try grouped.setGroup(group, key, to: value)
                try optimizer.set(key, to: value)
            }
            separate.append(optimizer)
        }
        try grouped.validate()
        var x = TrajectoryProblem.start
        var parts = (0..<settings.count).map { Self.slice(TrajectoryProblem.start, $0) }
        for t in 1...TrajectoryProblem.steps {
            let g = Self.problem.gradient(at: x, step: t)
            x.withUnsafeMutableBufferPointer { xb in g.withUnsafeBufferPointer { grouped.step(xb, gradient: $0) } }
            for group in parts.indices {
                let gPart = Self.slice(g, group)
                parts[group].withUnsafeMutableBufferPointer { xb in
                    gPart.withUnsafeBufferPointer { separate[group].step(xb, gradient: $0) }
                }
            }
            // The groups' gradients come from the whole x, so the slices must stay equal.
            #expect(x == parts.flatMap { $0 }, "step \(t)")
            if x != parts.flatMap({ $0 }) { return }
        }
        #expect(grouped.stepCount == TrajectoryProblem.steps)
        #expect(try grouped.groupValue(1, of: "lr") == 0.02)
        #expect(try grouped.value(of: "lr") == 0.05)
    }

    @Test("groups with equal values step as no groups, bit for bit", arguments: groupedRules)
    func equalGroupsChangeNothing(_ rule: String) throws {
        let plain = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
        let grouped = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
        try grouped.setGroups(starts: Self.starts)
        #expect(Self.problem.libraryTrajectory(grouped) == Self.problem.libraryTrajectory(plain))
    }

    @Test("set(_:to:) reaches every group; setGroup one")
    func setReachesEveryGroup() throws {
        let optimizer = try Optimizer(rule: "adamw", dimension: 7)
        try optimizer.setGroups(starts: Self.starts)
        try optimizer.setGroup(2, "weight_decay", to: 0)
        try optimizer.set("lr", to: 0.5)
        #expect(try (0..<3).map { try optimizer.groupValue($0, of: "lr") } == [0.5, 0.5, 0.5])
        #expect(try (0..<3).map { try optimizer.groupValue($0, of: "weight_decay") } == [0.01, 0.01, 0])
        #expect(optimizer.groupStartIndices == Self.starts)
        try optimizer.setGroups(starts: [0])
        #expect(optimizer.groupTotal == 1)
        #expect(optimizer.groupStartIndices == [0])
    }

    @Test("group starts that do not cover x in order are .invalidArgument and change nothing",
          arguments: [[Int](), [1, 3], [0, 3, 3], [0, 4, 2], [0, 7], [0, -1]])
    func badStarts(_ starts: [Int]) throws {
        let optimizer = try Optimizer(rule: "sgd", dimension: 7)
        try optimizer.setGroups(starts: [0, 4])
        let error = #expect(throws: GradientDescentError.self) { try optimizer.setGroups(starts: starts) }
        #expect(error?.status == .invalidArgument)
        #expect(optimizer.groupStartIndices == [0, 4])
    }

    @Test("a group out of range, a bad value and a nesterov group without momentum are rejected")
    func badGroupValues() throws {
        let optimizer = try Optimizer(rule: "sgd", dimension: 7)
        try optimizer.setGroups(starts: [0, 4])
        #expect(throws: GradientDescentError.self) { try optimizer.setGroup(2, "lr", to: 0.1) }
        #expect(throws: GradientDescentError.self) { try optimizer.setGroup(-1, "lr", to: 0.1) }
        #expect(throws: GradientDescentError.self) { try optimizer.setGroup(1, "lr", to: -0.1) }
        #expect(throws: GradientDescentError.self) { try optimizer.groupValue(1, of: "betas") }
        try optimizer.setGroup(1, "nesterov", to: 1)
        let error = #expect(throws: GradientDescentError.self) { try optimizer.validate() }
        #expect(error?.message.hasPrefix("group 1: nesterov requires momentum") == true)
    }

    @Test("custom rules and lbfgs take no groups")
    func customRulesTakeNone() throws {
        let rule = try CustomRule(name: "groups_custom_test", stateSize: 1) { _, _, _, _, _ in }
        for optimizer in [try Optimizer(custom: rule, dimension: 4), try Optimizer(rule: "lbfgs", dimension: 4)] {
            let error = #expect(throws: GradientDescentError.self) { try optimizer.setGroups(starts: [0, 2]) }
            #expect(error?.status == .invalidArgument)
        }
    }

    @Test("a checkpoint carries the groups: a resumed grouped run equals the uninterrupted one",
          arguments: ["nadam", "asgd", "sgd", "rprop"])
    func checkpointCarriesGroups(_ rule: String) throws {
        func makeGrouped() throws -> Optimizer {
            let optimizer = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
            try optimizer.setGroups(starts: Self.starts)
            for (group, values) in Self.groupSettings(rule).enumerated() {
                for (key, value) in values.sorted(by: { $0.key < $1.key }) { try optimizer.setGroup(group, key, to: value) }
            }
            return optimizer
        }
        let whole = Self.problem.libraryTrajectory(try makeGrouped(), steps: 120)
        let first = try makeGrouped()
        var x = TrajectoryProblem.start
        for t in 1...60 {
            let g = Self.problem.gradient(at: x, step: t)
            x.withUnsafeMutableBufferPointer { xb in g.withUnsafeBufferPointer { first.step(xb, gradient: $0) } }
        }
        let blob = first.saveState()
        let resumed = try blob.withUnsafeBytes { try Optimizer(state: $0) }
        #expect(resumed.groupStartIndices == Self.starts)
        #expect(try resumed.groupValue(1, of: "lr") == 0.02)
        for t in 61...120 {
            let g = Self.problem.gradient(at: x, step: t)
            x.withUnsafeMutableBufferPointer { xb in g.withUnsafeBufferPointer { resumed.step(xb, gradient: $0) } }
        }
        #expect(x == whole.last!)
        // The blob of an ungrouped optimizer has no groups section: it loads into one.
        let plain = try Optimizer(rule: rule, dimension: TrajectoryProblem.dimension)
        try plain.saveState().withUnsafeBytes { try resumed.loadState($0) }
        #expect(resumed.groupTotal == 1)
    }
}
