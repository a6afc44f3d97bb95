/// Where the partial results of the processes of a data-parallel run meet: every evaluation
/// of the run (full, batch, line-search trial) hands its local loss and gradient here, and
/// gets back the same combined ones as every other process.
///
/// One reduction carries, in one buffer of n + 5 doubles, the weighted loss, the weighted
/// gradient, the weight, the count of processes whose objective failed, and two stop votes
/// (a progress callback or interrupt, a time limit), so that every process takes every
/// decision of the run (stop, fail, skip) on the same values and none is left waiting.
///
/// Objectives over rows return means over the rows they evaluated; a process's part is
/// weighted by its rows, so the combined loss is the mean over the whole batch. Full-batch
/// objectives return their shard's part of the total; the parts are added.
struct ReductionPoint {
    let reducer: Reducer
    let layout: ShardLayout
    private let buffer: UnsafeMutableBufferPointer<Double>
    private let n: Int

    /// What a process votes for at the next reduction.
    enum Vote { case none, progress, timeLimit }

    enum Outcome {
        /// The combined loss (the gradient buffer holds the combined gradient).
        case combined(Double)
        /// This process's objective failed (the caller has its error), or the reducer did.
        case failedHere
        /// Another process's objective failed.
        case failedElsewhere(Int)
        /// A process asked to stop.
        case stop(StopReason)
    }

    private var loss: Int { 0 }
    private var weight: Int { n + 1 }
    private var failures: Int { n + 2 }
    private var progressVotes: Int { n + 3 }
    private var timeVotes: Int { n + 4 }

    init(reducer: Reducer, layout: ShardLayout, buffer: UnsafeMutableBufferPointer<Double>, dimension: Int) {
        self.reducer = reducer
        self.layout = layout
        self.buffer = buffer
        self.n = dimension
    }

    static func bufferCount(dimension: Int) -> Int { dimension + 5 }

    /// Combines this process's evaluation over `rows` rows (`value` nil when its objective
    /// failed; `rows` 0 when it evaluated nothing) with the others'. `vote` asks every process
    /// to stop; `error` receives the reducer's own failure.
    func combine(value: Double?, rows: Int, gradient: UnsafeMutableBufferPointer<Double>, vote: Vote,
                 error: inout GradientDescentError?) -> Outcome {
        let scale: Double = layout.sampled && layout.processCount > 1 ? Double(rows) : 1
        if let value, rows > 0 || !layout.sampled {
            buffer[loss] = scale * value
            if scale == 1 {
                for i in 0..<n { buffer[1 + i] = gradient[i] }
            } else {
                for i in 0..<n { buffer[1 + i] = scale * gradient[i] }
            }
        } else {
            for i in 0..<(n + 1) { buffer[i] = 0 }
        }
        buffer[weight] = layout.sampled ? Double(rows) : 1
        buffer[failures] = value == nil ? 1 : 0
        buffer[progressVotes] = vote == .progress ? 1 : 0
        buffer[timeVotes] = vote == .timeLimit ? 1 : 0
        do {
            try reducer.sum(buffer)
        } catch let failure {
            error = failure
            return .failedHere
        }
        let failed = Int(buffer[failures])
        if value == nil { return .failedHere }
        if failed > 0 { return .failedElsewhere(failed) }
        if buffer[progressVotes] > 0 { return .stop(.progress) }
        if buffer[timeVotes] > 0 { return .stop(.timeLimit) }
        if layout.sampled && layout.processCount > 1 {
            let total = buffer[weight]
            for i in 0..<n { gradient[i] = buffer[1 + i] / total }
            return .combined(buffer[loss] / total)
        }
        for i in 0..<n { gradient[i] = buffer[1 + i] }
        return .combined(buffer[loss])
    }
}
