/// A run's position as a blob (StateBlob, kind 3), everything `RunState` holds:
///
///     u64 flags (1 started, 2 shuffle, 4 epoch end pending, 8 best iterate kept,
///                16 last iterate kept: the previous call returned the best one)
///     u64 dimension, u64 sample count (0: full batch)
///     u64 iterations, epochs, evaluations, skipped steps, consecutive skips, clipped steps
///     f64 previous checked loss, u64 stalled checks
///     f64 best loss, u64 best iteration, f64 best gradient norm
///     u64 × 4 generator, u64 × 4 generator at the epoch's start, u64 position in the epoch
///     f64 sum of the epoch's batch losses, u64 batches in it
///     u64 length (0 or dimension), f64 × length best iterate
///     u64 length (0 or dimension), f64 × length last iterate
///     with flag 32 (a data-parallel run): u64 process count, rank, global rows, first row,
///     rows of this process, 1 when the objectives have rows (0: full-batch objectives)
extension RunState {
    private enum Flag: UInt64 {
        case started = 1, shuffle = 2, epochEndPending = 4, hasBestX = 8, hasLastX = 16, distributed = 32
    }

    /// Bytes `saveState(into:)` writes.
    public var stateByteCount: Int { StateBlob.size(writeState) }

    /// Writes the state into `destination` (at least `stateByteCount` bytes, else
    /// `.invalidArgument`); returns the bytes written.
    public func saveState(into destination: UnsafeMutableRawBufferPointer) throws(GradientDescentError) -> Int {
        try StateBlob.save(.runState, into: destination, writeState)
    }

    /// The state as bytes.
    public func saveState() -> [UInt8] { StateBlob.bytes(.runState, writeState) }

    private func writeState(_ writer: inout BlobWriter) {
        var flags: UInt64 = 0
        if started { flags |= Flag.started.rawValue }
        if shuffle { flags |= Flag.shuffle.rawValue }
        if epochEndPending { flags |= Flag.epochEndPending.rawValue }
        if hasBestX { flags |= Flag.hasBestX.rawValue }
        if hasLastX { flags |= Flag.hasLastX.rawValue }
        if layout != nil { flags |= Flag.distributed.rawValue }
        writer.u64(flags)
        writer.int(dimension)
        writer.int(sampleCount)
        for counter in [iterations, epochs, evaluations, skippedSteps, consecutiveSkips, clippedSteps] {
            writer.u64(counter)
        }
        writer.f64(previousCheckedLoss)
        writer.u64(stalledChecks)
        writer.f64(bestLoss)
        writer.u64(bestIteration)
        writer.f64(bestGradientNorm)
        for generator in [generator, epochStartGenerator] {
            writer.u64(generator.state.0)
            writer.u64(generator.state.1)
            writer.u64(generator.state.2)
            writer.u64(generator.state.3)
        }
        writer.int(position)
        writer.f64(epochLossSum)
        writer.u64(epochBatches)
        let none = UnsafeBufferPointer<Double>(start: nil, count: 0)
        writer.doubles(hasBestX ? UnsafeBufferPointer(bestIterate) : none)
        writer.doubles(hasLastX ? UnsafeBufferPointer(lastX) : none)
        if let layout {
            for field in [layout.processCount, layout.rank, layout.globalSampleCount, layout.offset,
                          layout.localSampleCount, layout.sampled ? 1 : 0] {
                writer.int(field)
            }
        }
    }

    /// Replaces this state with a saved one; nothing changes on failure (`.badState`).
    /// Whether it fits a run (dimension, samples, shuffle) is checked when the run begins.
    public func loadState(_ blob: UnsafeRawBufferPointer) throws(GradientDescentError) {
        var reader = try StateBlob.open(blob, as: .runState)
        let flags = try reader.u64("the flags")
        if flags & ~UInt64(63) != 0 {
            throw GradientDescentError(.badState, "the run state has unknown flags \(flags)")
        }
        let loaded = RunState()
        loaded.started = flags & Flag.started.rawValue != 0
        loaded.shuffle = flags & Flag.shuffle.rawValue != 0
        loaded.epochEndPending = flags & Flag.epochEndPending.rawValue != 0
        let keepsBest = flags & Flag.hasBestX.rawValue != 0
        let keepsLast = flags & Flag.hasLastX.rawValue != 0
        loaded.dimension = try reader.int("the dimension", limit: Int.max / 64)
        loaded.sampleCount = try reader.int("the sample count", limit: Int.max / 64)
        loaded.iterations = try reader.u64("the iteration count")
        loaded.epochs = try reader.u64("the epoch count")
        loaded.evaluations = try reader.u64("the evaluation count")
        loaded.skippedSteps = try reader.u64("the skipped step count")
        loaded.consecutiveSkips = try reader.u64("the consecutive skip count")
        loaded.clippedSteps = try reader.u64("the clipped step count")
        loaded.previousCheckedLoss = try reader.f64("the previous checked loss")
        loaded.stalledChecks = try reader.u64("the stalled check count")
        loaded.bestLoss = try reader.f64("the best loss")
        loaded.bestIteration = try reader.u64("the best iteration")
        loaded.bestGradientNorm = try reader.f64("the best gradient norm")
        var generators: [Xoshiro256StarStar] = []
        for what in ["the generator", "the epoch's generator"] {
            let words = (try reader.u64(what), try reader.u64(what), try reader.u64(what), try reader.u64(what))
            if words == (0, 0, 0, 0) && loaded.started && loaded.sampleCount > 0 {
                throw GradientDescentError(.badState, "\(what) is all zero, which xoshiro256** never reaches")
            }
            generators.append(Xoshiro256StarStar(state: words))
        }
        loaded.generator = generators[0]
        loaded.epochStartGenerator = generators[1]
        loaded.position = try reader.int("the position", limit: loaded.sampleCount)
        loaded.epochLossSum = try reader.f64("the epoch's loss sum")
        loaded.epochBatches = try reader.u64("the epoch's batch count")
        for counter in [loaded.iterations, loaded.epochs, loaded.evaluations, loaded.skippedSteps,
                        loaded.consecutiveSkips, loaded.clippedSteps, loaded.stalledChecks,
                        loaded.bestIteration, loaded.epochBatches]
        where counter > savedCounterLimit {
            throw GradientDescentError(.badState, "the run state has a counter out of range (\(counter))")
        }
        let best = try reader.doubles("the best iterate", expected: keepsBest ? loaded.dimension : 0)
        let last = try reader.doubles("the last iterate", expected: keepsLast ? loaded.dimension : 0)
        if flags & Flag.distributed.rawValue != 0 {
            let processes = try reader.int("the process count", limit: Int(Int32.max))
            let rank = try reader.int("the rank", limit: Int(Int32.max))
            let global = try reader.int("the global row count", limit: Int.max / 64)
            let offset = try reader.int("the first row", limit: Int.max / 64)
            let local = try reader.int("the rows of this process", limit: Int.max / 64)
            let sampled = try reader.int("the kind of objectives", limit: 1)
            if processes < 1 || rank >= processes || offset > global || local > global - offset
                || (sampled == 1 && global != loaded.sampleCount && loaded.sampleCount != 0)
                || (sampled == 0 && (global != 0 || offset != 0)) {
                throw GradientDescentError(.badState,
                    "the run state's layout is inconsistent: rank \(rank) of \(processes), rows [\(offset), +\(local)) of \(global)")
            }
            loaded.layout = ShardLayout(processCount: processes, rank: rank, globalSampleCount: global,
                                        offset: offset, localSampleCount: local, sampled: sampled == 1)
        }
        try reader.finish()
        if keepsLast && !keepsBest {
            throw GradientDescentError(.badState, "the run state keeps a last iterate without a best one")
        }
        // A best iterate exists only once a run has begun, with the run's dimension: an
        // unstarted state takes the dimension of its first run, which the kept iterate would
        // not have.
        if keepsBest && (!loaded.started || loaded.dimension == 0) {
            throw GradientDescentError(.badState, "the run state keeps a best iterate but no run has begun")
        }
        if keepsBest {
            try loaded.allocateBestX(count: loaded.dimension)
            if let base = loaded.bestIterate.baseAddress { copyDoubles(best, to: base) }
            if keepsLast, let base = loaded.lastX.baseAddress { copyDoubles(last, to: base) }
            loaded.hasBestX = true
            loaded.hasLastX = keepsLast
        }
        take(loaded)
    }
}
