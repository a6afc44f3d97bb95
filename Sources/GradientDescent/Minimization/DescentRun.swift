/// The descent loop: evaluation, checks, update, in one place.
///
/// The gradient is produced in exactly one place (`evaluate`), so a reduction across
/// processes (all-reduce for data-parallel runs) can be inserted there later without
/// touching the update rules or the criteria.
struct DescentRun {
    let objective: any Objective
    let optimizer: Optimizer
    let x: UnsafeMutableBufferPointer<Double>
    let options: MinimizeOptions

    /// The gradient buffer, the same for the whole run (the ABI promises it).
    private let gradient: UnsafeMutableBufferPointer<Double>
    /// The last iterate whose loss and gradient were finite.
    private let lastFinite: UnsafeMutableBufferPointer<Double>
    /// Sample indices handed to the objective, the same buffer for the whole run: a batch
    /// in its first entries, or every index for a full evaluation.
    private let samples: UnsafeMutableBufferPointer<Int>
    /// The epoch order the sampler permutes.
    private let order: UnsafeMutableBufferPointer<Int>
    /// The storage behind gradient and lastFinite, and behind samples and order.
    private let doubles: UnsafeMutableBufferPointer<Double>
    private let indices: UnsafeMutableBufferPointer<Int>

    private var report = Report()
    private let clock = Stopwatch()
    /// True while x equals the iterate of the last successful full evaluation.
    private var lossIsCurrent = false
    private var previousCheckedLoss = Double.nan
    private var stalledChecks: UInt64 = 0

    init(objective: any Objective, optimizer: Optimizer, x: UnsafeMutableBufferPointer<Double>,
         options: MinimizeOptions) throws(GradientDescentError) {
        self.objective = objective
        self.optimizer = optimizer
        self.x = x
        self.options = options
        let n = x.count
        let m = options.batchSize > 0 ? objective.sampleCount : 0
        // Two blocks, so a failed allocation has at most one to give back.
        let (twoN, overflowN) = n.multipliedReportingOverflow(by: 2)
        let (twoM, overflowM) = m.multipliedReportingOverflow(by: 2)
        if overflowN || overflowM {
            throw GradientDescentError(.outOfMemory, "cannot allocate the run's buffers for \(n) parameters and \(m) samples")
        }
        doubles = try CheckedAllocation.allocate(Double.self, count: twoN, what: "the gradient and a copy of x")
        do {
            indices = try CheckedAllocation.allocate(Int.self, count: twoM, what: "the sample indices")
        } catch {
            CheckedAllocation.deallocate(doubles)
            throw error
        }
        doubles.initialize(repeating: 0)
        indices.initialize(repeating: 0)
        gradient = UnsafeMutableBufferPointer(rebasing: doubles[0..<n])
        lastFinite = UnsafeMutableBufferPointer(rebasing: doubles[n..<twoN])
        _ = lastFinite.update(fromContentsOf: x)
        samples = UnsafeMutableBufferPointer(rebasing: indices[0..<m])
        order = UnsafeMutableBufferPointer(rebasing: indices[m..<twoM])
    }

    func deallocate() {
        CheckedAllocation.deallocate(doubles)
        CheckedAllocation.deallocate(indices)
    }

    mutating func run() -> Report {
        if options.batchSize == 0 {
            runFullBatch()
        } else {
            runSampled()
        }
        finish()
        report.seconds = clock.seconds
        return report
    }

    // MARK: Full batch

    private mutating func runFullBatch() {
        while true {
            guard let loss = evaluateFull() else { return }
            if let reason = convergenceReason(loss: loss) {
                report.stopReason = reason
                return
            }
            if let reason = update(loss: loss, gradientNorm: report.gradientNorm) {
                report.stopReason = reason
                return
            }
        }
    }

    // MARK: Sampled (SGD, mini-batch)

    private mutating func runSampled() {
        let m = objective.sampleCount
        var sampler = BatchSampler(sampleCount: m, batchSize: options.batchSize,
                                   shuffle: options.shuffle, seed: options.seed, order: order)
        let checksOnFullLoss = options.gradientTolerance > 0 || options.lossTolerance > 0
            || options.targetLoss > -.infinity
        while true {
            let count = sampler.nextBatch(into: samples.baseAddress!)
            let batch = UnsafeBufferPointer(rebasing: samples[0..<count])
            guard let batchLoss = evaluate(samples: batch) else { return }
            let batchNorm = VectorKernels.norm(UnsafeBufferPointer(gradient))
            if !batchNorm.isFinite {
                fail(.nonFinite, "the gradient of a batch is non-finite (norm \(batchNorm)) at iteration \(report.iterations)")
                return
            }
            rememberFiniteIterate()
            if let reason = update(loss: batchLoss, gradientNorm: batchNorm) {
                report.stopReason = reason
                return
            }
            if sampler.epochFinished {
                report.epochs += 1
                if checksOnFullLoss {
                    guard let loss = evaluateFull() else { return }
                    if let reason = convergenceReason(loss: loss) {
                        report.stopReason = reason
                        return
                    }
                }
                if options.maxEpochs > 0 && report.epochs >= options.maxEpochs {
                    report.stopReason = .maxEpochs
                    return
                }
            }
        }
    }

    // MARK: Steps shared by both modes

    /// Evaluates loss and gradient at x over everything; nil after recording a failure.
    private mutating func evaluateFull() -> Double? {
        let loss: Double
        if options.batchSize == 0 {
            report.evaluations += 1
            do {
                loss = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient)
            } catch {
                fail(error)
                return nil
            }
            if !loss.isFinite {
                fail(.nonFinite, "the loss is \(loss) at iteration \(report.iterations)")
                return nil
            }
        } else {
            let m = objective.sampleCount
            for i in 0..<m { samples[i] = i }
            guard let value = evaluate(samples: UnsafeBufferPointer(samples)) else { return nil }
            loss = value
        }
        let norm = VectorKernels.norm(UnsafeBufferPointer(gradient))
        if !norm.isFinite {
            fail(.nonFinite, "the gradient is non-finite (norm \(norm)) at iteration \(report.iterations)")
            return nil
        }
        report.loss = loss
        report.gradientNorm = norm
        report.bestLoss = min(report.bestLoss, loss)
        lossIsCurrent = true
        rememberFiniteIterate()
        return loss
    }

    /// Evaluates over a batch; nil after recording a failure.
    private mutating func evaluate(samples batch: UnsafeBufferPointer<Int>) -> Double? {
        report.evaluations += 1
        let loss: Double
        do {
            loss = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient, samples: batch)
        } catch {
            fail(error)
            return nil
        }
        if !loss.isFinite {
            fail(.nonFinite, "the loss is \(loss) at iteration \(report.iterations)")
            return nil
        }
        return loss
    }

    /// The criteria on a full loss: gradient tolerance, target loss, loss tolerance.
    private mutating func convergenceReason(loss: Double) -> StopReason? {
        if options.gradientTolerance > 0 && report.gradientNorm <= options.gradientTolerance {
            return .gradientTolerance
        }
        if loss <= options.targetLoss {
            return .targetLoss
        }
        if options.lossTolerance > 0 && !previousCheckedLoss.isNaN {
            let previous = previousCheckedLoss
            let scale = max(1, abs(previous), abs(loss))
            if abs(previous - loss) <= options.lossTolerance * scale {
                stalledChecks += 1
                if stalledChecks >= options.patience {
                    return .lossTolerance
                }
            } else {
                stalledChecks = 0
            }
        }
        previousCheckedLoss = loss
        return nil
    }

    /// Applies one update and the criteria that follow it.
    private mutating func update(loss: Double, gradientNorm: Double) -> StopReason? {
        optimizer.step(x, gradient: UnsafeBufferPointer(gradient))
        report.iterations += 1
        lossIsCurrent = false
        if let progress = options.progress {
            let info = ProgressInfo(iteration: report.iterations, epoch: report.epochs, loss: loss,
                                    gradientNorm: gradientNorm, learningRate: optimizer.learningRate,
                                    x: UnsafeBufferPointer(x))
            if progress(info) { return .progress }
        }
        if options.maxIterations > 0 && report.iterations >= options.maxIterations {
            return .maxIterations
        }
        if options.timeLimit > 0 && clock.seconds >= options.timeLimit {
            return .timeLimit
        }
        return nil
    }

    /// Makes report.loss the objective at the returned x.
    private mutating func finish() {
        if report.failure != nil || lossIsCurrent { return }
        let reason = report.stopReason
        if evaluateFull() != nil {
            report.stopReason = reason
        }
    }

    private func rememberFiniteIterate() {
        _ = lastFinite.update(fromContentsOf: x)
    }

    private mutating func fail(_ error: GradientDescentError) {
        _ = x.update(fromContentsOf: lastFinite)
        report.failure = error
        switch error.status {
        case .callback: report.stopReason = .callbackError
        case .nonFinite: report.stopReason = .nonFinite
        default: report.stopReason = .callbackError
        }
    }

    private mutating func fail(_ status: Status, _ message: String) {
        fail(GradientDescentError(status, message))
    }
}
