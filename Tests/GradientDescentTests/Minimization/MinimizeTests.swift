import Testing
@testable import GradientDescent

/// Mean over samples s of 1/2 (x - s)² for scalar x: the minimum is the mean of the samples.
final class SampleMean: Objective {
    let sampleCount: Int
    var dimension: Int { 1 }
    var batches: [[Int]] = []

    init(samples: Int) { sampleCount = samples }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let all = Array(0..<sampleCount)
        return try all.withUnsafeBufferPointer { (samples) throws(GradientDescentError) in
            try evaluate(at: x, gradient: gradient, samples: samples)
        }
    }

    func evaluate(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        if samples.count < sampleCount { batches.append(Array(samples)) }
        var loss = 0.0, g = 0.0
        for s in samples {
            let d = x[0] - Double(s)
            loss += 0.5 * d * d
            g += d
        }
        gradient?[0] = g / Double(samples.count)
        return loss / Double(samples.count)
    }
}

@Suite struct MinimizeTests {
    @Test func gradientToleranceStopsAtTheExactIteration() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &x) { $0.gradientTolerance = 1e-6 }
        // ||g_k|| = sqrt(14) / 2^k <= 1e-6 first at k = 22.
        #expect(report.stopReason == .gradientTolerance)
        #expect(report.iterations == 22)
        #expect(report.evaluations == 23)
        #expect(abs(x[2] - 3 * (1 - 1 / Double(1 << 22))) < 1e-15)
        #expect(report.loss == report.bestLoss)
        #expect(report.failure == nil)
    }

    @Test func maxIterationsReportsTheLossAtTheReturnedPoint() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &x) { $0.maxIterations = 3 }
        #expect(report.stopReason == .maxIterations)
        #expect(report.iterations == 3)
        #expect(x == [0.875, 1.75, 2.625])
        #expect(report.loss == 0.5 * 14 / 64)
    }

    @Test func targetLossAndLossToleranceStopWhereTheyShould() throws {
        var x = [0.0, 0.0, 0.0]
        let target = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &x) { $0.targetLoss = 1e-3 }
        #expect(target.stopReason == .targetLoss)
        #expect(target.iterations == 7) // 7 / 4^k <= 1e-3 first at k = 7

        var y = [0.0, 0.0, 0.0]
        let tolerance = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &y) {
            $0.lossTolerance = 1e-4
            $0.patience = 3
        }
        // f_k = 7/4^k, so |f_{k-1} - f_k| = 5.25/4^(k-1) <= 1e-4 first at k = 9; the third
        // stalled check in a row is at k = 11, where the run stops without updating.
        #expect(tolerance.stopReason == .lossTolerance)
        #expect(tolerance.iterations == 11)
    }

    @Test func progressCallbackSeesEveryIterationAndCanStop() throws {
        var x = [0.0, 0.0, 0.0]
        var seen: [UInt64] = []
        var learningRates: Set<Double> = []
        let report = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &x) {
            $0.progress = { info in
                seen.append(info.iteration)
                learningRates.insert(info.learningRate)
                return info.iteration == 4
            }
        }
        #expect(report.stopReason == .progress)
        #expect(seen == [1, 2, 3, 4])
        #expect(learningRates == [0.5])
    }

    @Test func timeLimitStops() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try run(Bowl([1, 2, 3]), try sgd(3, lr: 0.5), &x) { $0.timeLimit = 1e-9 }
        #expect(report.stopReason == .timeLimit)
        #expect(report.iterations == 1)
    }

    @Test func callbackFailureRestoresTheLastEvaluatedIterate() throws {
        let bowl = Bowl([1, 2, 3])
        bowl.failAt = 4
        var x = [0.0, 0.0, 0.0]
        let report = try run(bowl, try sgd(3, lr: 0.5), &x)
        #expect(report.stopReason == .callbackError)
        #expect(report.failure?.status == .callback)
        #expect(x == [0.75, 1.5, 2.25])
    }

    @Test func nonFiniteLossRestoresTheLastFiniteIterate() throws {
        let bowl = Bowl([1, 2, 3])
        bowl.nonFiniteCalls = 3...3
        var x = [0.0, 0.0, 0.0]
        let report = try run(bowl, try sgd(3, lr: 0.5), &x)
        #expect(report.stopReason == .nonFinite)
        #expect(report.failure?.status == .nonFinite)
        #expect(x == [0.5, 1.0, 1.5])
    }

    @Test func argumentsAreCheckedBeforeAnythingRuns() throws {
        let bowl = Bowl([1, 2, 3])
        var x = [0.0, 0.0, 0.0]
        #expect(throws: GradientDescentError.self) { try run(bowl, try sgd(2, lr: 0.1), &x) }
        #expect(throws: GradientDescentError.self) { try run(bowl, try sgd(3, lr: 0.1), &x) { $0.batchSize = 2 } }
        #expect(throws: GradientDescentError.self) { try run(bowl, try sgd(3, lr: 0.1), &x) { $0.patience = 0 } }
        #expect(throws: GradientDescentError.self) { try run(bowl, try sgd(3, lr: 0.1), &x) { $0.maxIterations = 0 } }
        var nan = [0.0, .nan, 0.0]
        do {
            _ = try run(bowl, try sgd(3, lr: 0.1), &nan)
            Issue.record("a NaN starting point was accepted")
        } catch {
            #expect((error as? GradientDescentError)?.status == .nonFinite)
        }
        #expect(bowl.calls == 0)
    }

    @Test func miniBatchRunsAreReproducibleAndVisitEverySample() throws {
        func fit(seed: UInt64) throws -> ([Double], [[Int]], Report) {
            let objective = SampleMean(samples: 10)
            var x = [0.0]
            let report = try run(objective, try sgd(1, lr: 0.05), &x) {
                $0.batchSize = 3
                $0.maxIterations = 0
                $0.maxEpochs = 50
                $0.seed = seed
            }
            return (x, objective.batches, report)
        }
        let (a, batchesA, report) = try fit(seed: 11)
        let (b, batchesB, _) = try fit(seed: 11)
        let (_, batchesC, _) = try fit(seed: 12)
        #expect(a == b)
        #expect(batchesA == batchesB)
        #expect(batchesA != batchesC)
        #expect(report.stopReason == .maxEpochs)
        #expect(report.epochs == 50)
        #expect(report.iterations == 200)
        #expect(batchesA.prefix(4).map(\.count) == [3, 3, 3, 1])
        #expect(batchesA.prefix(4).flatMap { $0 }.sorted() == Array(0..<10))
        #expect(abs(a[0] - 4.5) < 0.3)
        // report.loss is the full loss at the returned x.
        let full = (0..<10).map { 0.5 * (a[0] - Double($0)) * (a[0] - Double($0)) }.reduce(0, +) / 10
        #expect(abs(report.loss - full) < 1e-14)
    }

    @Test func sampledCriteriaUseTheFullLossAtEpochEnds() throws {
        let objective = SampleMean(samples: 8)
        var x = [0.0]
        let report = try run(objective, try sgd(1, lr: 0.5), &x) {
            $0.batchSize = 8
            $0.maxIterations = 0
            $0.gradientTolerance = 1e-8
        }
        // A batch of every sample is plain gradient descent on the mean: error halves each epoch.
        #expect(report.stopReason == .gradientTolerance)
        #expect(abs(x[0] - 3.5) <= 1e-8)
        #expect(report.gradientNorm <= 1e-8)
        #expect(report.iterations == report.epochs)
    }
}
