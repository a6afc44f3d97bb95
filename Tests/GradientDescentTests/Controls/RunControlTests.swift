import Testing
@testable import GradientDescent

@Suite("Clipping, non-finite policy, best iterate") struct RunControlTests {
    @Test("clipping by norm and by value reproduces clip_grad_norm_ and clip_grad_value_")
    func clippingFormulas() {
        var g = [3.0, 4.0]
        g.withUnsafeMutableBufferPointer { #expect(GradientClipping.clipNorm($0, norm: 5, maxNorm: 1)) }
        let coefficient = 1 / (5 + 1e-6)
        #expect(g == [3 * coefficient, 4 * coefficient])
        var h = [3.0, 4.0]
        h.withUnsafeMutableBufferPointer { #expect(!GradientClipping.clipNorm($0, norm: 5, maxNorm: 6)) }
        #expect(h == [3, 4])
        var v = [-3.0, 0.5, 2.0, .nan]
        v.withUnsafeMutableBufferPointer { #expect(GradientClipping.clipValues($0, maxValue: 1)) }
        #expect(v[0..<3] == [-1, 0.5, 1])
        #expect(v[3].isNaN)
    }

    @Test("a run clips before the update: one SGD step at lr 1 moves x by the clipped gradient")
    func clippingInARun() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try descend(NoisyBowl([3, 4, 0]), try optimizer("sgd", 3, ["lr": 1]), &x) {
            $0.maxIterations = 1
            $0.clipping = GradientClipping(maxNorm: 1, maxValue: 0.7)
        }
        #expect(x == [3 / (5 + 1e-6), 0.7, 0])
        #expect(report.clippedSteps == 1)
    }

    @Test("skip rejects a non-finite evaluation and leaves the trajectory of a clean run unchanged")
    func skipEqualsCleanRun() throws {
        var clean = [0.0, 0.0, 0.0]
        let reference = try descend(NoisyBowl([1, 2, 3]), try optimizer("adam", 3, ["lr": 0.1]), &clean) {
            $0.maxIterations = 8
        }
        let faulty = NoisyBowl([1, 2, 3])
        faulty.nonFiniteCalls = 4...4
        var x = [0.0, 0.0, 0.0]
        let report = try descend(faulty, try optimizer("adam", 3, ["lr": 0.1]), &x) {
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
        let faulty = NoisyBowl([1, 2, 3])
        faulty.nonFiniteCalls = 3...20
        var x = [0.0, 0.0, 0.0]
        let report = try descend(faulty, try optimizer("sgd", 3, ["lr": 0.5]), &x) {
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
        let report = try descend(NoisyBowl([1, 2, 3]), try optimizer("sgd", 3, ["lr": 2.1]), &x) {
            $0.maxIterations = 5
            $0.keepBest = true
        }
        #expect(x == [0, 0, 0])
        #expect(report.returnedBest)
        #expect(report.loss == 7 && report.bestLoss == 7 && report.bestIteration == 0)

        var y = [0.0, 0.0, 0.0]
        let last = try descend(NoisyBowl([1, 2, 3]), try optimizer("sgd", 3, ["lr": 2.1]), &y) {
            $0.maxIterations = 5
        }
        #expect(!last.returnedBest && last.loss > 7 && last.bestLoss == 7)
    }
}
