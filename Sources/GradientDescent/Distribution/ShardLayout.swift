/// How the rows of a data-parallel run are spread over its processes: process r holds the
/// global rows [offset(r), offset(r) + count(r)), in rank order. Every process learns the
/// layout from one reduction at the start of each run, so callers give only their own rows.
public struct ShardLayout: Equatable, Sendable {
    public let processCount: Int
    public let rank: Int
    /// Rows of all processes together.
    public let globalSampleCount: Int
    /// The first global row this process holds.
    public let offset: Int
    /// The rows this process holds.
    public let localSampleCount: Int
    /// True when the objectives have samples (their losses are means, weighted by the rows
    /// each process evaluated); false when they are full-batch objectives, whose losses and
    /// gradients are added.
    public let sampled: Bool

    public init(processCount: Int, rank: Int, globalSampleCount: Int, offset: Int,
                localSampleCount: Int, sampled: Bool) {
        self.processCount = processCount
        self.rank = rank
        self.globalSampleCount = globalSampleCount
        self.offset = offset
        self.localSampleCount = localSampleCount
        self.sampled = sampled
    }

    /// Slots of the agreement buffer after the P row counts.
    private enum Slot: Int, CaseIterable {
        case sampledProcesses, fullBatchProcesses, dimension, batchSize, refusingProcesses
    }

    /// Doubles the agreement needs for `processCount` processes.
    static func scratchCount(processCount: Int) -> Int { processCount + Slot.allCases.count }

    /// Agrees on the layout with the other processes. `localError` is this process's own
    /// reason to refuse the run (found before the agreement); it is thrown here, after the
    /// reduction, so that the others learn of it instead of waiting for this process. Every
    /// process throws when any refuses or when the processes disagree, with the same
    /// decision on all of them.
    static func agree(reducer: Reducer, objective: any Objective, dimension: Int, batchSize: Int,
                      localError: GradientDescentError?,
                      scratch: UnsafeMutableBufferPointer<Double>) throws(GradientDescentError) -> ShardLayout {
        let p = reducer.processCount
        for i in 0..<scratch.count { scratch[i] = 0 }
        let hasSamples = objective.sampleCount > 0 || objective is EmptyShard
        scratch[reducer.rank] = Double(objective.sampleCount)
        scratch[p + Slot.sampledProcesses.rawValue] = hasSamples ? 1 : 0
        scratch[p + Slot.fullBatchProcesses.rawValue] = hasSamples ? 0 : 1
        scratch[p + Slot.dimension.rawValue] = Double(dimension)
        scratch[p + Slot.batchSize.rawValue] = Double(batchSize)
        scratch[p + Slot.refusingProcesses.rawValue] = localError == nil ? 0 : 1
        try reducer.sum(scratch)
        if let localError { throw localError }
        let refusing = scratch[p + Slot.refusingProcesses.rawValue]
        if refusing > 0 {
            throw GradientDescentError(.invalidArgument,
                "\(Int(refusing)) other process(es) of the run refused its arguments; see their messages")
        }
        let sampledProcesses = scratch[p + Slot.sampledProcesses.rawValue]
        let fullBatchProcesses = scratch[p + Slot.fullBatchProcesses.rawValue]
        if sampledProcesses > 0 && fullBatchProcesses > 0 {
            throw GradientDescentError(.invalidArgument,
                "\(Int(sampledProcesses)) process(es) have objectives over rows and \(Int(fullBatchProcesses)) full-batch objectives; all processes of a run need the same kind (a process without rows uses an empty shard)")
        }
        if scratch[p + Slot.dimension.rawValue] != Double(dimension) * Double(p) {
            throw GradientDescentError(.dimensionMismatch,
                "the processes of the run have different dimensions (this one has n = \(dimension))")
        }
        if scratch[p + Slot.batchSize.rawValue] != Double(batchSize) * Double(p) {
            throw GradientDescentError(.invalidArgument,
                "the processes of the run have different batch sizes (this one has \(batchSize))")
        }
        var global = 0
        var offset = 0
        for r in 0..<p {
            let count = Int(scratch[r])
            if r < reducer.rank { offset += count }
            global += count
        }
        let sampled = sampledProcesses > 0
        if sampled && global == 0 {
            throw GradientDescentError(.invalidArgument, "no process of the run holds any rows")
        }
        if batchSize > global {
            throw GradientDescentError(.invalidArgument,
                "batch_size must be <= the rows of all processes (\(global)), got \(batchSize)")
        }
        return ShardLayout(processCount: p, rank: reducer.rank, globalSampleCount: sampled ? global : 0,
                           offset: offset, localSampleCount: objective.sampleCount, sampled: sampled)
    }
}
