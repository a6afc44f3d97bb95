/// Where a run is: its counters, the sampler's position and generator, the criteria's memory
/// and the best iterate. A run given a RunState (`MinimizeOptions.runState`) continues from it
/// and leaves its own position in it, so a run split into several calls, or saved and loaded
/// in between (`saveState` / `loadState`), follows the same trajectory bit for bit as an
/// uninterrupted one, provided the optimizer (and schedule) state travel with it.
///
/// A fresh RunState starts a run as if none were given: counters at 0, generator from the
/// seed. Once used, the seed is ignored and max_iterations and max_epochs count from the
/// first call (they are totals); evaluations, skipped and clipped steps are totals as well;
/// seconds and time_limit are per call. When a call with keepBest returned its best iterate,
/// the state keeps the last one and the next call continues from it, not from the x it gets.
public final class RunState {
    var started = false
    /// Parameters and samples of the run that started this state (sampleCount 0: full batch).
    var dimension = 0
    var sampleCount = 0
    var shuffle = true

    var iterations: UInt64 = 0
    var epochs: UInt64 = 0
    var evaluations: UInt64 = 0
    var skippedSteps: UInt64 = 0
    var consecutiveSkips: UInt64 = 0
    var clippedSteps: UInt64 = 0

    /// The loss-tolerance criterion's memory.
    var previousCheckedLoss = Double.nan
    var stalledChecks: UInt64 = 0

    /// The lowest full loss seen, where, and (when keep_best) the iterate.
    var bestLoss = Double.infinity
    var bestIteration: UInt64 = 0
    var bestGradientNorm = Double.nan
    /// `dimension` doubles once a run with keep_best has begun (checked allocation).
    private(set) var bestX = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    var hasBestX = false
    /// When a run returned its best iterate, the last one, from which the next call goes on
    /// (the caller's x is then the best, not where the trajectory is). Shares bestX's block.
    var hasLastX = false
    var lastX: UnsafeMutableBufferPointer<Double> {
        bestX.count == 2 * dimension && dimension > 0
            ? UnsafeMutableBufferPointer(rebasing: bestX[dimension...])
            : UnsafeMutableBufferPointer(start: nil, count: 0)
    }
    var bestIterate: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: bestX[0..<min(dimension, bestX.count)])
    }

    /// The sampler: generator now and at the start of the current epoch (the epoch's order is
    /// replayed from it on resume), and the position inside the epoch.
    var generator = Xoshiro256StarStar(seed: 0)
    var epochStartGenerator = Xoshiro256StarStar(seed: 0)
    var position = 0
    /// The last batch of an epoch was taken but the epoch's end (count, checks, per-epoch
    /// schedule step) was not processed yet because the run stopped right after that update.
    var epochEndPending = false
    /// Batch losses of the current epoch, for per-epoch schedules.
    var epochLossSum = 0.0
    var epochBatches: UInt64 = 0

    /// The layout of the data-parallel run this state belongs to (nil: one process). A run
    /// resumes only with the same process count, rank and rows.
    var layout: ShardLayout? = nil

    /// A state for a run that has not started.
    public init() {}

    deinit {
        releaseBestX()
    }

    private func releaseBestX() {
        if bestX.baseAddress != nil { CheckedAllocation.deallocate(bestX) }
        bestX = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    /// Room for a best and a last iterate of `count` doubles each, zeroed.
    func allocateBestX(count: Int) throws(GradientDescentError) {
        if bestX.count != 2 * count || bestX.baseAddress == nil {
            let buffer = try CheckedAllocation.allocate(Double.self, count: 2 * count, what: "the best iterate")
            releaseBestX()
            bestX = buffer
        }
        bestX.update(repeating: 0)
    }

    /// Back to a fresh state: the next run starts from its seed with counters at 0.
    public func reset() {
        take(RunState())
    }

    /// Becomes `other` (which gives up its best iterate buffer).
    func take(_ other: RunState) {
        started = other.started
        dimension = other.dimension
        sampleCount = other.sampleCount
        shuffle = other.shuffle
        iterations = other.iterations
        epochs = other.epochs
        evaluations = other.evaluations
        skippedSteps = other.skippedSteps
        consecutiveSkips = other.consecutiveSkips
        clippedSteps = other.clippedSteps
        previousCheckedLoss = other.previousCheckedLoss
        stalledChecks = other.stalledChecks
        bestLoss = other.bestLoss
        bestIteration = other.bestIteration
        bestGradientNorm = other.bestGradientNorm
        swap(&bestX, &other.bestX)
        hasBestX = other.hasBestX
        hasLastX = other.hasLastX
        generator = other.generator
        epochStartGenerator = other.epochStartGenerator
        position = other.position
        epochEndPending = other.epochEndPending
        epochLossSum = other.epochLossSum
        epochBatches = other.epochBatches
        layout = other.layout
    }

    /// When the previous call returned its best iterate, puts the last one back into `x`, so
    /// the run goes on from where its trajectory is.
    func restoreLastIterate(into x: UnsafeMutableBufferPointer<Double>) {
        guard hasLastX, lastX.count == x.count else { return }
        _ = x.update(fromContentsOf: lastX)
        hasLastX = false
    }

    /// True once a run has used this state.
    public var isStarted: Bool { started }
    /// Updates applied in all the runs that used this state.
    public var iterationCount: UInt64 { iterations }
    /// Epochs completed in all the runs that used this state.
    public var epochCount: UInt64 { epochs }

    /// Begins a run of `dimension` parameters (sampleCount 0 for full batch): a fresh state
    /// takes the seed; a used one must belong to a run of the same shape.
    func begin(dimension: Int, sampleCount: Int, shuffle: Bool, seed: UInt64,
               keepBest: Bool, layout: ShardLayout? = nil) throws(GradientDescentError) {
        if started {
            if layout != self.layout {
                throw GradientDescentError(.badState,
                    "the run state belongs to \(Self.describe(self.layout)); this run is \(Self.describe(layout))")
            }
            if dimension != self.dimension {
                throw GradientDescentError(.badState,
                    "the run state belongs to a run of \(self.dimension) parameters, this run has \(dimension)")
            }
            if sampleCount != self.sampleCount {
                let saved = self.sampleCount == 0 ? "a full-batch run" : "a run over \(self.sampleCount) samples"
                let now = sampleCount == 0 ? "this run is full batch" : "this run samples \(sampleCount)"
                throw GradientDescentError(.badState, "the run state belongs to \(saved); \(now)")
            }
            if sampleCount > 0 && shuffle != self.shuffle {
                throw GradientDescentError(.badState,
                    "the run state was made with shuffle \(self.shuffle ? 1 : 0), this run has shuffle \(shuffle ? 1 : 0)")
            }
        }
        if keepBest && !(hasBestX && bestX.count == 2 * dimension) {
            // Best tracking (re)starts with the iterate: a loss without its x cannot be returned.
            try allocateBestX(count: dimension)
            hasBestX = false
            hasLastX = false
            bestLoss = .infinity
            bestIteration = iterations
            bestGradientNorm = .nan
        }
        if !started {
            self.dimension = dimension
            self.sampleCount = sampleCount
            self.shuffle = shuffle
            self.layout = layout
            generator = Xoshiro256StarStar(seed: seed)
            epochStartGenerator = generator
            position = sampleCount
            started = true
        }
    }

    /// A layout in words, for the messages of a refused resume.
    private static func describe(_ layout: ShardLayout?) -> String {
        guard let layout else { return "a single-process run" }
        if !layout.sampled {
            return "process \(layout.rank) of \(layout.processCount) (full-batch objectives)"
        }
        return "process \(layout.rank) of \(layout.processCount) holding rows [\(layout.offset), \(layout.offset + layout.localSampleCount)) of \(layout.globalSampleCount)"
    }
}
