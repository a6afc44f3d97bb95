/// The descent loop: evaluation, checks, clipping, schedule, update, in one place.
///
/// The gradient is produced in exactly one place (`evaluate`), so a reduction across
/// processes (all-reduce for data-parallel runs) can be inserted there later without
/// touching the update rules or the criteria.
///
/// Everything that a later call needs to continue the run bit for bit lives in `state`
/// (counters, sampler, criteria, best iterate); the rest is scratch for this call. Buffers
/// are allocated once, before the loop; an iteration allocates nothing.
struct DescentRun {
    let objective: any Objective
    let optimizer: Optimizer
    let x: UnsafeMutableBufferPointer<Double>
    let options: MinimizeOptions
    let state: RunState

    /// The gradient buffer, the same for the whole run (the ABI promises it).
    let gradient: UnsafeMutableBufferPointer<Double>
    /// The first elements of x and of the gradient (both have at least one).
    let xBase: UnsafeMutablePointer<Double>
    let gradientBase: UnsafeMutablePointer<Double>
    /// The last iterate whose loss and gradient were finite.
    let lastFinite: UnsafeMutableBufferPointer<Double>
    /// Sample indices handed to the objective, the same buffer for the whole run: a batch
    /// in its first entries, or every index for a full evaluation.
    private let samples: UnsafeMutableBufferPointer<Int>
    /// The epoch order the sampler permutes.
    private let order: UnsafeMutableBufferPointer<Int>
    /// The storage behind gradient and lastFinite, and behind samples and order.
    private let doubles: UnsafeMutableBufferPointer<Double>
    private let indices: UnsafeMutableBufferPointer<Int>
    private var sampler: BatchSampler?

    /// The box of a bounded run (nil: unbounded).
    let bounds: Bounds?
    /// True for a first-order rule with line_search = 1.
    let searching: Bool
    /// Scratch of the line searches (allocated with the gradient when the run searches, else
    /// pointing at the gradient and never used): the start of a search and its gradient, and
    /// the search direction.
    let searchStart: UnsafeMutablePointer<Double>
    let searchGradient: UnsafeMutablePointer<Double>
    let direction: UnsafeMutablePointer<Double>
    /// The workspace of lbfgs's step in a box.
    let boxedStep: BoxedStep?

    /// Where the processes of a data-parallel run combine their evaluations (nil: one process).
    let reduction: ReductionPoint?
    /// The rows of a global batch this process holds, as its own indices (data-parallel runs).
    private let localBatch: UnsafeMutableBufferPointer<Int>
    /// The storage behind the reduction's buffers.
    private let reductionStorage: UnsafeMutableBufferPointer<Double>
    /// A stop this process asks for at the next reduction (progress or time limit): a
    /// data-parallel run stops only where every process learns of it.
    private var pendingVote = ReductionPoint.Vote.none

    let clock = Stopwatch()
    var stopReason = StopReason.none
    var failure: GradientDescentError?
    /// The last full loss and gradient norm (what the report says about the returned x).
    var loss = Double.nan
    var gradientNorm = Double.nan
    /// The gradient norm of the last evaluation, before clipping.
    var evaluatedNorm = Double.nan
    /// True while x equals the iterate of the last successful full evaluation.
    var lossIsCurrent = false
    private var returnedBest = false
    /// g·d of the last lbfgs direction (the decrease a unit step predicts).
    var lastSlope = 0.0
    /// True when x started outside the bounds and was projected.
    private var x0Projected = false
    /// Set during the evaluation that only reports the loss at the returned x: it must leave
    /// the state (best iterate, skip counter) as an uninterrupted run would have it, so that a
    /// run split at this point continues exactly.
    private var observing = false
    private var reportedBestLoss = Double.infinity
    private var reportedBestIteration: UInt64 = 0
    /// The optimizer key a momentum-cycling schedule sets ("beta1" or "momentum"), found once.
    private var momentumKey: String?

    enum Evaluation {
        case finite(Double)
        /// Non-finite, rejected by the skip policy.
        case skipped
        /// The run failed; `failure` says why.
        case failed
    }

    private var isSampled: Bool { options.batchSize > 0 }

    /// Checks the state against this run and allocates the buffers, before anything runs.
    /// `localError` is a check this process failed before the run (data-parallel runs only):
    /// it is thrown after the processes have agreed, so that none waits for this one.
    init(objective: any Objective, optimizer: Optimizer, x: UnsafeMutableBufferPointer<Double>,
         options: MinimizeOptions, localError: GradientDescentError? = nil) throws(GradientDescentError) {
        let n = x.count
        guard let xBase = x.baseAddress, n > 0 else {
            throw GradientDescentError(.dimensionMismatch, "x has no entries")
        }
        var layout: ShardLayout? = nil
        var reductionStorage = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
        if let reducer = options.reducer {
            let scratchCount = ShardLayout.scratchCount(processCount: reducer.processCount)
            reductionStorage = try CheckedAllocation.allocate(
                Double.self, count: scratchCount + ReductionPoint.bufferCount(dimension: n),
                what: "the reduction buffers")
            reductionStorage.initialize(repeating: 0)
            do {
                layout = try ShardLayout.agree(
                    reducer: reducer, objective: objective, dimension: n, batchSize: options.batchSize,
                    localError: localError, scratch: UnsafeMutableBufferPointer(rebasing: reductionStorage[0..<scratchCount]))
            } catch {
                CheckedAllocation.deallocate(reductionStorage)
                throw error
            }
        } else if let localError {
            throw localError
        }
        do {
            try self.init(objective: objective, optimizer: optimizer, x: x, xBase: xBase, options: options,
                          layout: layout, reductionStorage: reductionStorage)
        } catch {
            CheckedAllocation.deallocate(reductionStorage)
            throw error
        }
    }

    private init(objective: any Objective, optimizer: Optimizer, x: UnsafeMutableBufferPointer<Double>,
                 xBase: UnsafeMutablePointer<Double>, options: MinimizeOptions, layout: ShardLayout?,
                 reductionStorage: UnsafeMutableBufferPointer<Double>) throws(GradientDescentError) {
        let n = x.count
        let m = options.batchSize > 0 ? (layout?.globalSampleCount ?? objective.sampleCount) : 0
        let localBatchCount = layout != nil && m > 0 ? options.batchSize : 0
        let searching = optimizer.usesLineSearch
        // A line search keeps its start, gradient and direction.
        let searchVectors = optimizer.isQuasiNewton || searching ? 3 : 0
        // Two blocks, so a failed allocation has at most one to give back.
        let (twoN, overflowN) = n.multipliedReportingOverflow(by: 2 + searchVectors)
        let (twoM, overflowM) = m.multipliedReportingOverflow(by: 2)
        let (indexCount, overflowIndices) = twoM.addingReportingOverflow(localBatchCount)
        if overflowN || overflowM || overflowIndices {
            throw GradientDescentError(.outOfMemory, "cannot allocate the run's buffers for \(n) parameters and \(m) samples")
        }
        // lbfgs's pairs get their storage here, with the run's other buffers.
        try optimizer.quasiNewton?.reserve()
        let doubles = try CheckedAllocation.allocate(Double.self, count: twoN, what: "the gradient and a copy of x")
        guard let gradientBase = doubles.baseAddress else {
            throw GradientDescentError(.outOfMemory, "cannot allocate the gradient and a copy of x")
        }
        let indices: UnsafeMutableBufferPointer<Int>
        do {
            indices = try CheckedAllocation.allocate(Int.self, count: indexCount, what: "the sample indices")
        } catch {
            CheckedAllocation.deallocate(doubles)
            throw error
        }
        var boxedStep: BoxedStep? = nil
        // Bounds with no finite entry constrain nothing: the run is the unbounded one.
        let bounds = options.bounds.flatMap { $0.isUnbounded ? nil : $0 }
        if let history = optimizer.quasiNewton, bounds != nil {
            do {
                boxedStep = try BoxedStep(dimension: n, capacity: history.capacity)
            } catch {
                CheckedAllocation.deallocate(doubles)
                CheckedAllocation.deallocate(indices)
                throw error
            }
        }
        self.boxedStep = boxedStep
        doubles.initialize(repeating: 0)
        indices.initialize(repeating: 0)
        let order = UnsafeMutableBufferPointer(rebasing: indices[m..<twoM])
        let state = options.runState ?? RunState()
        do throws(GradientDescentError) {
            var refusal: GradientDescentError? = nil
            do throws(GradientDescentError) {
                try state.begin(dimension: n, sampleCount: m, shuffle: options.shuffle, seed: options.seed,
                                keepBest: options.keepBest, layout: layout)
            } catch {
                refusal = error
            }
            if let reducer = options.reducer {
                // Every process learns whether one refused its state, so none waits for it.
                let flag = UnsafeMutableBufferPointer(rebasing: reductionStorage[0..<1])
                flag[0] = refusal == nil ? 0 : 1
                try reducer.sum(flag)
                if refusal == nil && flag[0] > 0 {
                    refusal = GradientDescentError(.badState,
                        "\(Int(flag[0])) other process(es) refused their run state; see their messages")
                }
            }
            if let refusal { throw refusal }
            if m > 0 {
                sampler = try BatchSampler(sampleCount: m, batchSize: options.batchSize, shuffle: state.shuffle,
                                           generator: state.generator, epochStartGenerator: state.epochStartGenerator,
                                           position: state.position, order: order)
            }
        } catch {
            CheckedAllocation.deallocate(doubles)
            CheckedAllocation.deallocate(indices)
            throw error
        }
        self.objective = objective
        self.optimizer = optimizer
        self.x = x
        self.options = options
        self.state = state
        self.doubles = doubles
        self.indices = indices
        self.order = order
        state.restoreLastIterate(into: x)
        gradient = UnsafeMutableBufferPointer(rebasing: doubles[0..<n])
        self.xBase = xBase
        self.gradientBase = gradientBase
        lastFinite = UnsafeMutableBufferPointer(rebasing: doubles[n..<(2 * n)])
        self.bounds = bounds
        self.searching = searching
        searchStart = searchVectors > 0 ? gradientBase + 2 * n : gradientBase
        searchGradient = searchVectors > 0 ? gradientBase + 3 * n : gradientBase
        direction = searchVectors > 0 ? gradientBase + 4 * n : gradientBase
        _ = lastFinite.update(fromContentsOf: x)
        samples = UnsafeMutableBufferPointer(rebasing: indices[0..<m])
        localBatch = UnsafeMutableBufferPointer(rebasing: indices[twoM..<indexCount])
        self.reductionStorage = reductionStorage
        if let reducer = options.reducer, let layout {
            let scratchCount = ShardLayout.scratchCount(processCount: reducer.processCount)
            reduction = ReductionPoint(reducer: reducer, layout: layout,
                                       buffer: UnsafeMutableBufferPointer(rebasing: reductionStorage[scratchCount...]),
                                       dimension: n)
        } else {
            reduction = nil
        }
    }

    func deallocate() {
        CheckedAllocation.deallocate(doubles)
        CheckedAllocation.deallocate(indices)
        if reductionStorage.baseAddress != nil { CheckedAllocation.deallocate(reductionStorage) }
    }

    mutating func run() -> Report {
        // After every check (an argument error leaves x as the caller gave it).
        if let bounds, bounds.project(xBase) {
            x0Projected = true
            _ = lastFinite.update(fromContentsOf: x)
        }
        if startSchedule() && !totalReached() {
            if isSampled {
                runSampled()
            } else if optimizer.isQuasiNewton {
                runQuasiNewton()
            } else {
                runFullBatch()
            }
        }
        if let sampler {
            state.generator = sampler.generator
            state.epochStartGenerator = sampler.epochStartGenerator
            state.position = sampler.position
        }
        finish()
        return report()
    }

    /// With a run state max_iterations and max_epochs are totals: a call that begins with a
    /// total already reached applies nothing and stops at once.
    private mutating func totalReached() -> Bool {
        if options.maxIterations > 0 && state.iterations >= options.maxIterations {
            stopReason = .maxIterations
            return true
        }
        if isSampled && options.maxEpochs > 0 && state.epochs >= options.maxEpochs {
            stopReason = .maxEpochs
            return true
        }
        return false
    }

    // MARK: Full batch

    private mutating func runFullBatch() {
        while true {
            // After an accepted line-search step the loss and gradient at x are known.
            switch searching && lossIsCurrent ? .finite(loss) : evaluateFull() {
            case .failed: return
            case .skipped: continue
            case .finite(let loss):
                if converged(loss: loss) { return }
                if update(loss: loss) { return }
            }
        }
    }

    // MARK: Sampled (SGD, mini-batch)

    private mutating func runSampled() {
        guard var sampler, let batchBase = samples.baseAddress else { return }
        defer { self.sampler = sampler }
        while true {
            if state.epochEndPending && endEpoch() { return }
            let count = sampler.nextBatch(into: batchBase)
            if sampler.epochFinished { state.epochEndPending = true }
            switch evaluate(batch: UnsafeBufferPointer(rebasing: samples[0..<count])) {
            case .failed: return
            case .skipped: continue
            case .finite(let batchLoss):
                state.epochLossSum += batchLoss
                state.epochBatches.countOne()
                if update(loss: batchLoss) { return }
            }
        }
    }

    /// The end of an epoch: count it, step a per-epoch schedule, check the criteria on the
    /// full loss. True when the run stops.
    private mutating func endEpoch() -> Bool {
        state.epochEndPending = false
        state.epochs.countOne()
        let epochLoss = state.epochBatches > 0 ? state.epochLossSum / Double(state.epochBatches) : .nan
        state.epochLossSum = 0
        state.epochBatches = 0
        if options.schedulePerEpoch && stepSchedule(loss: epochLoss) { return true }
        let checksOnFullLoss = options.gradientTolerance > 0 || options.lossTolerance > 0
            || options.targetLoss > -.infinity || options.keepBest
        if checksOnFullLoss {
            switch evaluateFull() {
            case .failed: return true
            case .skipped: break
            case .finite(let loss):
                if converged(loss: loss) { return true }
            }
        }
        if options.maxEpochs > 0 && state.epochs >= options.maxEpochs {
            stopReason = .maxEpochs
            return true
        }
        return false
    }

    // MARK: Evaluations

    // The evaluations, the criteria and the update are inlined into the loops: at small
    // dimensions a call per step (each saving and reloading the run's fields) costs as much as
    // the work. What only a failure needs (messages) stays out of line.

    /// Loss and gradient at x over everything (over all samples in sampled runs).
    @inline(__always)
    mutating func evaluateFull() -> Evaluation {
        let value: Double
        if isSampled {
            let local = objective.sampleCount
            for i in 0..<local { samples[i] = i }
            state.evaluations.countOne()
            var localValue: Double? = 0
            var localError: GradientDescentError? = nil
            if local > 0 {
                do {
                    localValue = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient,
                                                        samples: UnsafeBufferPointer(rebasing: samples[0..<local]))
                } catch {
                    localValue = nil
                    localError = error
                }
            }
            if reduction != nil {
                guard let combined = reduce(localValue, rows: local, error: localError) else { return .failed }
                value = combined
            } else if let localValue {
                value = localValue
            } else {
                fail(localError ?? GradientDescentError(.callback, "the objective failed"))
                return .failed
            }
        } else {
            guard let fullValue = evaluateObjective() else { return .failed }
            value = fullValue
        }
        if !isFinite(loss: value) {
            return nonFinite(loss: value, gradient: "the gradient")
        }
        accept(loss: value)
        return .finite(value)
    }

    /// The full-batch evaluation point: every full-batch evaluation of the run, the line
    /// searches' trial points included, calls the objective here (counted). nil when the
    /// objective failed (the run has failed).
    @inline(__always)
    mutating func evaluateObjective() -> Double? {
        state.evaluations.countOne()
        if let reduction {
            let rows = reduction.layout.localSampleCount
            if reduction.layout.sampled && rows == 0 {
                return reduce(0, rows: 0, error: nil)
            }
            do {
                let value = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient)
                return reduce(value, rows: rows, error: nil)
            } catch {
                return reduce(nil, rows: rows, error: error)
            }
        }
        do {
            return try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient)
        } catch {
            fail(error)
            return nil
        }
    }

    /// This process's evaluation combined with the others' (data-parallel runs): the
    /// combined loss, or nil when the run stops here (a failure on any process, or a stop
    /// a process asked for), with the same decision on every process.
    @inline(never)
    mutating func reduce(_ value: Double?, rows: Int, error localError: GradientDescentError?) -> Double? {
        guard let reduction else { return value }
        var reducerError: GradientDescentError? = nil
        let vote = observing ? ReductionPoint.Vote.none : pendingVote
        switch reduction.combine(value: value, rows: rows, gradient: gradient, vote: vote, error: &reducerError) {
        case .combined(let combined):
            return combined
        case .failedHere:
            fail(localError ?? reducerError ?? GradientDescentError(.callback, "the reduction failed"))
            return nil
        case .failedElsewhere(let count):
            fail(.callback, "the objective failed on \(count) other process(es) of the run; see their messages")
            return nil
        case .stop(let reason):
            if observing { return nil }
            pendingVote = .none
            stopReason = reason
            return nil
        }
    }

    /// The gradient norm of the evaluation in the buffers as the run reports it: of the
    /// projected gradient in a bounded run.
    @inline(__always)
    func reportedGradientNorm() -> Double {
        bounds.map { $0.projectedGradientNorm(x: xBase, gradient: gradientBase) } ?? evaluatedNorm
    }

    /// Makes the finite full evaluation in the buffers the run's current one: loss, gradient
    /// norm (of the projected gradient in a bounded run), last finite iterate, best iterate.
    @inline(__always)
    mutating func accept(loss value: Double) {
        let norm = reportedGradientNorm()
        loss = value
        gradientNorm = norm
        lossIsCurrent = true
        rememberFiniteIterate()
        if !observing && value < state.bestLoss {
            state.bestLoss = value
            state.bestIteration = state.iterations
            state.bestGradientNorm = norm
            if options.keepBest {
                _ = state.bestIterate.update(fromContentsOf: x)
                state.hasBestX = true
            }
        }
    }

    /// Loss and gradient over a batch.
    @inline(__always)
    private mutating func evaluate(batch: UnsafeBufferPointer<Int>) -> Evaluation {
        state.evaluations.countOne()
        let value: Double
        if let reduction {
            // The rows of the global batch this process holds, in the batch's order.
            let first = reduction.layout.offset
            let end = first + reduction.layout.localSampleCount
            var rows = 0
            for index in batch where index >= first && index < end {
                localBatch[rows] = index - first
                rows += 1
            }
            var localValue: Double? = 0
            var localError: GradientDescentError? = nil
            if rows > 0 {
                do {
                    localValue = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient,
                                                        samples: UnsafeBufferPointer(rebasing: localBatch[0..<rows]))
                } catch {
                    localValue = nil
                    localError = error
                }
            }
            guard let combined = reduce(localValue, rows: rows, error: localError) else { return .failed }
            value = combined
        } else {
            do {
                value = try objective.evaluate(at: UnsafeBufferPointer(x), gradient: gradient, samples: batch)
            } catch {
                fail(error)
                return .failed
            }
        }
        if !isFinite(loss: value) {
            return nonFinite(loss: value, gradient: "the gradient of a batch")
        }
        rememberFiniteIterate()
        return .finite(value)
    }

    /// True when the loss and the gradient are finite (the norm then in `evaluatedNorm`); when
    /// false, `nonFinite(loss:gradient:)` says which was not.
    @inline(__always)
    mutating func isFinite(loss value: Double) -> Bool {
        if !value.isFinite { return false }
        evaluatedNorm = VectorKernels.norm(UnsafeBufferPointer(gradient))
        if !evaluatedNorm.isFinite { return false }
        if !observing { state.consecutiveSkips = 0 }
        return true
    }

    /// An evaluation `isFinite(loss:)` rejected: the message, then the policy.
    @inline(never)
    mutating func nonFinite(loss value: Double, gradient name: String) -> Evaluation {
        if !value.isFinite {
            return nonFinite("the loss is \(value) at iteration \(state.iterations)")
        }
        return nonFinite("\(name) is non-finite (norm \(evaluatedNorm)) at iteration \(state.iterations)")
    }

    /// A non-finite evaluation, handled by the policy.
    private mutating func nonFinite(_ message: String) -> Evaluation {
        if options.nonFinitePolicy == .skip {
            if observing { return .skipped }
            state.skippedSteps.countOne()
            state.consecutiveSkips.countOne()
            if state.consecutiveSkips < options.maxConsecutiveSkips {
                return .skipped
            }
            fail(.nonFinite, "\(message); \(state.consecutiveSkips) non-finite evaluations in a row (max_consecutive_skips)")
            return .failed
        }
        fail(.nonFinite, message)
        return .failed
    }

    // MARK: Criteria and the update

    /// The criteria on a full loss: gradient tolerance, target loss, loss tolerance.
    @inline(__always)
    mutating func converged(loss: Double) -> Bool {
        if options.gradientTolerance > 0 && gradientNorm <= options.gradientTolerance {
            stopReason = .gradientTolerance
            return true
        }
        if loss <= options.targetLoss {
            stopReason = .targetLoss
            return true
        }
        if options.lossTolerance > 0 && !state.previousCheckedLoss.isNaN {
            let previous = state.previousCheckedLoss
            let scale = max(1, abs(previous), abs(loss))
            if abs(previous - loss) <= options.lossTolerance * scale {
                state.stalledChecks.countOne()
                if state.stalledChecks >= options.patience {
                    stopReason = .lossTolerance
                    return true
                }
            } else {
                state.stalledChecks = 0
            }
        }
        state.previousCheckedLoss = loss
        return false
    }

    /// Clips the gradient, applies one update, steps a per-update schedule, then the criteria
    /// that follow an update. True when the run stops.
    @inline(__always)
    private mutating func update(loss: Double) -> Bool {
        let norm = evaluatedNorm
        if searching {
            // The search measures the decrease with the gradient itself, not a clipped one.
            VectorKernels.copy(UnsafeBufferPointer(gradient),
                               to: UnsafeMutableBufferPointer(start: searchGradient, count: gradient.count))
        }
        if options.clipping.isEnabled {
            do {
                if try options.clipping.clip(gradient, l2Norm: norm) { state.clippedSteps.countOne() }
            } catch {
                fail(error)
                return true
            }
        }
        let learningRate = optimizer.learningRate
        if searching {
            if !backtrack(loss: loss) { return true }
        } else {
            do {
                // x and the gradient have the optimizer's dimension (minimize checked it) and
                // validate() passed before the run.
                try optimizer.update(xBase, gradient: gradientBase)
            } catch {
                fail(error)
                return true
            }
            bounds?.project(xBase)
            lossIsCurrent = false
        }
        state.iterations.countOne()
        if options.schedule != nil && (!options.schedulePerEpoch || !isSampled) {
            if stepSchedule(loss: loss) { return true }
        }
        return afterIteration(loss: loss, gradientNorm: norm, learningRate: learningRate)
    }

    /// The criteria that follow an iteration: progress, max_iterations, time_limit. True when
    /// the run stops.
    @inline(__always)
    mutating func afterIteration(loss: Double, gradientNorm norm: Double, learningRate: Double) -> Bool {
        if let progress = options.progress {
            let info = ProgressInfo(iteration: state.iterations, epoch: state.epochs, loss: loss,
                                    gradientNorm: norm, learningRate: learningRate,
                                    x: UnsafeBufferPointer(x))
            if progress(info) {
                if reduction == nil {
                    stopReason = .progress
                    return true
                }
                pendingVote = .progress
            }
        }
        if options.maxIterations > 0 && state.iterations >= options.maxIterations {
            stopReason = .maxIterations
            return true
        }
        if options.timeLimit > 0 && clock.seconds >= options.timeLimit {
            if reduction == nil {
                stopReason = .timeLimit
                return true
            }
            if pendingVote == .none { pendingVote = .timeLimit }
        }
        return false
    }

    // MARK: Schedule

    /// Starts the schedule on its first use (base lr = the optimizer's), else hands its
    /// current lr to the optimizer. False when a callback schedule failed.
    private mutating func startSchedule() -> Bool {
        guard let schedule = options.schedule else { return true }
        if optimizer.groupTotal > 1 || schedule.groupTotal > 1 {
            return startGroupedSchedule(schedule)
        }
        do {
            if schedule.isStarted {
                optimizer.learningRate = schedule.learningRate
            } else {
                optimizer.learningRate = try schedule.start(baseLearningRate: optimizer.learningRate,
                                                            clock: scheduleClock)
            }
            try applyMomentum(of: schedule)
            return true
        } catch {
            fail(error)
            return false
        }
    }

    /// `startSchedule` for an optimizer with parameter groups: each group starts from its own
    /// lr; a started schedule must have as many groups as the optimizer.
    private mutating func startGroupedSchedule(_ schedule: Schedule) -> Bool {
        let groups = optimizer.groupTotal
        do throws(GradientDescentError) {
            if schedule.isStarted {
                if schedule.groupTotal != groups {
                    throw GradientDescentError(.invalidArgument,
                        "the schedule was started for \(schedule.groupTotal) parameter groups; the optimizer has \(groups) (reset the schedule)")
                }
            } else {
                try schedule.start(baseLearningRates: (0..<groups).map { optimizer.groupLearningRate($0) },
                                   clock: scheduleClock)
            }
            for group in 0..<groups {
                optimizer.setGroupLearningRate(group, schedule.learningRate(group: group))
            }
            // A cycled momentum (or beta1) is the same for every group, as torch's schedulers
            // compute it from one base_momentum and max_momentum.
            try applyMomentum(of: schedule)
            return true
        } catch {
            fail(error)
            return false
        }
    }

    /// One schedule step; the optimizer takes the new lr at once, as PyTorch's param groups
    /// do. True when a callback schedule failed.
    private mutating func stepSchedule(loss: Double) -> Bool {
        guard let schedule = options.schedule else { return false }
        do throws(GradientDescentError) {
            if schedule.groupTotal > 1 || optimizer.groupTotal > 1 {
                try schedule.stepGroups(loss: loss, clock: scheduleClock)
                // A callback (progress, schedule) may have declared other groups meanwhile.
                if schedule.groupTotal != optimizer.groupTotal {
                    throw GradientDescentError(.invalidArgument,
                        "the optimizer's parameter groups changed during the run (\(optimizer.groupTotal) groups; the schedule has \(schedule.groupTotal))")
                }
                for group in 0..<schedule.groupTotal {
                    optimizer.setGroupLearningRate(group, schedule.learningRate(group: group))
                }
                if !schedule.momentum.isNaN { try applyMomentum(of: schedule) }
                return false
            }
            optimizer.learningRate = try schedule.step(loss: loss, clock: scheduleClock)
            if !schedule.momentum.isNaN { try applyMomentum(of: schedule) }
            return false
        } catch {
            fail(error)
            return true
        }
    }

    /// A schedule that cycles momentum sets the optimizer's beta1 (the Adam family) or
    /// momentum (SGD, RMSprop), as PyTorch's OneCycleLR and CyclicLR set betas[0] or momentum;
    /// a rule with neither fails the run, as PyTorch's constructors raise.
    private mutating func applyMomentum(of schedule: Schedule) throws(GradientDescentError) {
        let momentum = schedule.momentum
        if momentum.isNaN { return }
        if momentumKey == nil {
            let keys = optimizer.keys
            momentumKey = keys.contains("beta1") ? "beta1" : keys.contains("momentum") ? "momentum" : nil
        }
        guard let key = momentumKey else {
            throw GradientDescentError(.invalidArgument,
                "the \(schedule.name) schedule cycles momentum, but optimizer '\(optimizer.rule)' has neither momentum nor beta1 (set cycle_momentum to 0)")
        }
        try optimizer.set(key, to: momentum)
    }

    private var scheduleClock: ScheduleClock {
        ScheduleClock(iteration: state.iterations, epoch: state.epochs)
    }

    // MARK: The end

    /// Makes the report's loss the objective at the returned x, and returns the best iterate
    /// when asked to. The final evaluation counts for the report's best loss, not for the
    /// state's (a resumed run would otherwise see an iterate the uninterrupted run never
    /// evaluated in full).
    private mutating func finish() {
        reportedBestLoss = state.bestLoss
        reportedBestIteration = state.bestIteration
        if failure == nil && !lossIsCurrent {
            observing = true
            let outcome = evaluateFull()
            observing = false
            switch outcome {
            case .finite(let value):
                if value < reportedBestLoss {
                    reportedBestLoss = value
                    reportedBestIteration = state.iterations
                }
            case .skipped:
                loss = .nan
                gradientNorm = .nan
            case .failed:
                break
            }
        }
        if options.keepBest && state.hasBestX && (failure != nil || !(loss <= state.bestLoss)) {
            _ = state.lastX.update(fromContentsOf: x)
            state.hasLastX = true
            _ = x.update(fromContentsOf: state.bestIterate)
            loss = state.bestLoss
            gradientNorm = state.bestGradientNorm
            returnedBest = true
        }
    }

    private func report() -> Report {
        var report = Report()
        report.stopReason = stopReason
        report.iterations = state.iterations
        report.epochs = state.epochs
        report.evaluations = state.evaluations
        report.loss = loss
        report.bestLoss = reportedBestLoss
        report.gradientNorm = gradientNorm
        report.seconds = clock.seconds
        report.bestIteration = reportedBestIteration
        report.skippedSteps = state.skippedSteps
        report.clippedSteps = state.clippedSteps
        report.returnedBest = returnedBest
        report.x0Projected = x0Projected
        report.failure = failure
        return report
    }

    @inline(__always)
    func rememberFiniteIterate() {
        VectorKernels.copy(UnsafeBufferPointer(x), to: lastFinite)
    }

    mutating func fail(_ error: GradientDescentError) {
        _ = x.update(fromContentsOf: lastFinite)
        failure = error
        stopReason = error.status == .nonFinite ? .nonFinite : .callbackError
    }

    mutating func fail(_ status: Status, _ message: String) {
        fail(GradientDescentError(status, message))
    }
}
