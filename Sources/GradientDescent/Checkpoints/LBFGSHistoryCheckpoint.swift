/// lbfgs's history in its optimizer's blob, after the buffers:
///
///     string "lbfgs_history", u64 capacity (= history_size), u64 pair count, f64 gamma
///     per pair, oldest first: f64 rho (1/s·y), u64 n, f64 × n (s), u64 n, f64 × n (y)
///
/// Pairs are written in age order, so the ring's slots are not part of the format.
extension LBFGSHistory {
    static let sectionName = "lbfgs_history"

    func write(_ writer: inout BlobWriter) {
        writer.string(LBFGSHistory.sectionName)
        writer.int(capacity)
        writer.int(count)
        writer.f64(gamma)
        for age in stride(from: count - 1, through: 0, by: -1) {
            let slot = (newest - age + capacity) % capacity
            writer.f64(storedRho(slot))
            writer.doubles(UnsafeBufferPointer(start: s(slot), count: dimension))
            writer.doubles(UnsafeBufferPointer(start: y(slot), count: dimension))
        }
    }

    /// A new history read from `reader`, for `capacity` pairs (the loaded history_size).
    /// `.badState` for another section, capacity or dimension, a count above the capacity,
    /// or a value that is not finite (rho and gamma must also be > 0).
    static func read(_ reader: inout BlobReader, dimension: Int, capacity: Int) throws(GradientDescentError) -> LBFGSHistory {
        let name = try reader.string("the lbfgs history")
        if name != sectionName {
            throw GradientDescentError(.badState, "the state has '\(name)' where lbfgs keeps its history")
        }
        let savedCapacity = try reader.int("the history capacity", limit: LBFGSRule.maximumHistorySize)
        if savedCapacity != capacity {
            throw GradientDescentError(.badState,
                "the history holds \(savedCapacity) pairs but the state's history_size is \(capacity)")
        }
        let count = try reader.int("the number of pairs", limit: capacity)
        let gamma = try reader.f64("gamma")
        if count > 0 && !(gamma.isFinite && gamma > 0) {
            throw GradientDescentError(.badState, "the history's gamma is \(gamma), expected finite and > 0")
        }
        var pairs: [(rho: Double, s: UnsafeRawBufferPointer, y: UnsafeRawBufferPointer)] = []
        for index in 0..<count {
            let rho = try reader.f64("rho of pair \(index)")
            if !(rho.isFinite && rho > 0) {
                throw GradientDescentError(.badState, "rho of pair \(index) is \(rho), expected finite and > 0")
            }
            let s = try reader.doubles("s of pair \(index)", expected: dimension)
            let y = try reader.doubles("y of pair \(index)", expected: dimension)
            for (what, bytes) in [("s", s), ("y", y)] {
                for i in 0..<dimension {
                    let value = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    if !value.isFinite {
                        throw GradientDescentError(.badState, "\(what) of pair \(index) has \(value) at \(i)")
                    }
                }
            }
            pairs.append((rho, s, y))
        }
        let history = try LBFGSHistory(dimension: dimension, capacity: capacity)
        try history.restore(gamma: gamma, pairs: pairs)
        return history
    }
}
