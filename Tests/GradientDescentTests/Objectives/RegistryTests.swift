import Testing
@testable import GradientDescent

@Suite("Objective registry")
struct RegistryTests {
    @Test("the built-ins are registered in order, with their parameters")
    func builtIns() {
        let registry = ObjectiveRegistry(BuiltInObjectives.factories)
        #expect(registry.factories.map(\.name) == ["least_squares", "logistic", "softmax", "rosenbrock", "quadratic"])
        #expect(registry.factory(named: "rosenbrock")?.parameters == [ObjectiveParameter("a", default: 1),
                                                                      ObjectiveParameter("b", default: 100)])
        #expect(registry.factories.allSatisfy { $0.source == "built-in" })
    }

    @Test("registration is all or nothing: a duplicate name leaves the registry unchanged")
    func duplicateNames() throws {
        let registry = ObjectiveRegistry(BuiltInObjectives.factories)
        let sphere = ObjectiveFactory(name: "sphere", summary: "") { request throws(GradientDescentError) in
            try Rosenbrock(dimension: request.dimension)
        }
        let clash = ObjectiveFactory(name: "logistic", summary: "") { request throws(GradientDescentError) in
            try Rosenbrock(dimension: request.dimension)
        }
        #expect(throws: GradientDescentError.self) { try registry.register([sphere, clash]) }
        #expect(throws: GradientDescentError.self) { try registry.register([sphere, sphere]) }
        #expect(registry.count == 5)
        try registry.register([sphere])
        #expect(registry.count == 6 && registry.factory(at: 5)?.name == "sphere")
    }

    @Test("concurrent registrations: every distinct name lands once, a contested name exactly once")
    func concurrentRegistration() async {
        let registry = ObjectiveRegistry(BuiltInObjectives.factories)
        func factory(_ name: String) -> ObjectiveFactory {
            ObjectiveFactory(name: name, summary: "") { request throws(GradientDescentError) in
                try Rosenbrock(dimension: request.dimension)
            }
        }
        let wins = await withTaskGroup(of: Int.self) { group in
            for k in 0..<16 {
                group.addTask {
                    var won = 0
                    for round in 0..<50 {
                        do {
                            try registry.register([factory("distinct_\(k)_\(round)")])
                        } catch {
                            Issue.record("a distinct name was refused: \(error)")
                        }
                        if (try? registry.register([factory("contested_\(round)")])) != nil {
                            won += 1
                        }
                        _ = registry.factories.count
                    }
                    return won
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wins == 50)
        #expect(registry.count == 5 + 16 * 50 + 50)
        #expect(Set(registry.factories.map(\.name)).count == registry.count)
    }

    @Test("names, keys and data are checked before a factory runs")
    func makeObjectiveErrors() throws {
        let registry = ObjectiveRegistry(BuiltInObjectives.factories)
        let data = TestData(rows: 10, columns: 3)
        func status(_ body: () throws(GradientDescentError) -> any Objective) -> Status? {
            do {
                _ = try body()
                return nil
            } catch {
                return error.status
            }
        }
        #expect(status { () throws(GradientDescentError) in
            try registry.makeObjective(named: "nope", dimension: 3, data: data.objectiveData(), parameters: [])
        } == .unknownName)
        #expect(status { () throws(GradientDescentError) in
            try registry.makeObjective(named: "least_squares", dimension: 3, data: data.objectiveData(), parameters: [("l1", 1)])
        } == .unknownKey)
        #expect(status { () throws(GradientDescentError) in
            try registry.makeObjective(named: "least_squares", dimension: 4, data: data.objectiveData(), parameters: [])
        } == .dimensionMismatch)
        #expect(status { () throws(GradientDescentError) in
            try registry.makeObjective(named: "least_squares", dimension: 3, data: ObjectiveData(), parameters: [])
        } == .nullArgument)
        #expect(status { () throws(GradientDescentError) in
            try registry.makeObjective(named: "rosenbrock", dimension: 3, data: ObjectiveData(), parameters: [("b", 10)])
        } == nil)
    }
}
