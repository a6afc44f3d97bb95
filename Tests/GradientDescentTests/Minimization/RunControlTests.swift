import Testing
@testable import GradientDescent

@Suite("Non-finite policy, best iterate") struct RunControlTests {
    @Test("skip rejects a non-finite evaluation and leaves the trajectory of a clean run unchanged")
    func skipEqualsCleanRun() throws {
        var clean = [0.0, 0.0, 0.0]
        let reference = try run(Bowl([1, 2, 3]), try optimizer("adam", 3, ["lr": 0.1]), &clean) {
            $0.maxIterations = 8
        }
        let faulty = Bowl([1, 2, 3])
        faulty.nonFiniteCalls = 4...4
        var x = [0.0, 0.0, 0.0]
        let report = try run(faulty, try optimizer("adam", 3, ["lr": 0.1]), &x) {
            $0.maxIterations = 8
            $0.nonFinitePolicy = .skip
        }
        #expect(x == clean)
        #expect(report.skippedSteps == 1)
        #expect(report.evaluations == reference.evaluations + 1)
        #expect(report.failure == nil)
    }

    @Test("skip fails after max_consecutive_skips rejections in a row, restoring the last finite iterate")
    func skipLimit() throws {
        let faulty = Bowl([1, 2, 3])
        faulty.nonFiniteCalls = 3...20
        var x = [0.0, 0.0, 0.0]
        let report = try run(faulty, try optimizer("sgd", 3, ["lr": 0.5]), &x) {
            $0.nonFinitePolicy = .skip
            $0.maxConsecutiveSkips = 4
        }
        #expect(report.failure?.status == .nonFinite)
        #expect(report.skippedSteps == 4)
        #expect(report.iterations == 2)
        #expect(x == [0.5, 1, 1.5])
    }

    @Test("keep_best returns the best iterate of a diverging run, with its loss and iteration")
    func bestIterate() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try run(Bowl([1, 2, 3]), try optimizer("sgd", 3, ["lr": 2.1]), &x) {
            $0.maxIterations = 5
            $0.keepBest = true
        }
        #expect(x == [0, 0, 0])
        #expect(report.returnedBest)
        #expect(report.loss == 7 && report.bestLoss == 7 && report.bestIteration == 0)

        var y = [0.0, 0.0, 0.0]
        let last = try run(Bowl([1, 2, 3]), try optimizer("sgd", 3, ["lr": 2.1]), &y) {
            $0.maxIterations = 5
        }
        #expect(!last.returnedBest && last.loss > 7 && last.bestLoss == 7)
    }
}
