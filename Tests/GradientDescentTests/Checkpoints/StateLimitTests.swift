import Testing
@testable import GradientDescent

/// Limits the core keeps whatever it is given: counters saturate instead of overflowing,
/// an lr that would overflow saturates, edited blobs with counters out of range are refused,
/// totals of a run state are never exceeded, and max_epochs never stands alone in a
/// full-batch run.
@Suite("State limits") struct StateLimitTests {
    @Test("counters count up to savedCounterLimit and stay there")
    func countersSaturate() {
        var counter = savedCounterLimit - 1
        counter.countOne()
        #expect(counter == savedCounterLimit)
        counter.countOne()
        #expect(counter == savedCounterLimit)
        var steps = Int(savedCounterLimit)
        steps.countOne()
        #expect(steps == Int(savedCounterLimit))
    }

    @Test("scaledRate is the product when finite, DBL_MAX past it, 0 from a zero base")
    func scaledRateSaturates() {
        #expect(scaledRate(0.5, by: 4) == 2)
        #expect(scaledRate(1e300, by: 1e300) == .greatestFiniteMagnitude)
        #expect(scaledRate(0.1, by: .infinity) == .greatestFiniteMagnitude)
        #expect(scaledRate(0, by: .infinity) == 0)
    }

    @Test("an exponential schedule with gamma 2 reaches DBL_MAX, never inf, and its state loads back")
    func overflowingScheduleRoundTrips() throws {
        let s = try schedule("exponential", ["gamma": 2])
        try s.start(baseLearningRate: 1)
        for _ in 0..<1100 { try s.step(loss: 0) }
        #expect(s.learningRate == .greatestFiniteMagnitude)
        let loaded = try Schedule(name: "exponential")
        try s.saveState().withUnsafeBytes { try loaded.loadState($0) }
        #expect(loaded.learningRate == .greatestFiniteMagnitude)
        #expect(loaded.stepCount == 1100)
    }

    @Test("a plateau blob whose bad-step counter is UINT64_MAX is refused; at the limit it steps on")
    func plateauCounterRange() throws {
        let s = try schedule("plateau", ["patience": 2])
        try s.start(baseLearningRate: 0.1)
        for _ in 0..<2 { try s.step(loss: 1) }
        var blob = s.saveState()
        // The body ends: u64 bad steps, u64 cooldown left, f64 momentum, f64 T_cur, f64 T_i,
        // u32 child count (ScheduleCheckpoint.swift).
        let badStepsOffset = blob.count - 16 - 28
        for (value, loads) in [(UInt64.max, false), (savedCounterLimit + 1, false), (savedCounterLimit, true)] {
            withUnsafeBytes(of: value.littleEndian) { blob.replaceSubrange(badStepsOffset..<badStepsOffset + 8, with: $0) }
            fixChecksum(&blob)
            let loaded = try Schedule(name: "plateau")
            let status = blob.withUnsafeBytes { (bytes) -> Status? in
                do throws(GradientDescentError) {
                    try loaded.loadState(bytes)
                    return nil
                } catch {
                    return error.status
                }
            }
            #expect(status == (loads ? nil : .badState))
            if loads {
                #expect(try loaded.step(loss: 2) == 0.1 * 0.1)
            }
        }
    }

    @Test("with a run state, a reached max_iterations total applies no further update")
    func totalsAreNotExceeded() throws {
        let bowl = Bowl([1, -1])
        let opt = try optimizer("sgd", 2, ["lr": 0.1])
        let state = RunState()
        var x = [0.0, 0.0]
        var report = try run(bowl, opt, &x) { $0.maxIterations = 300; $0.runState = state }
        #expect(report.iterations == 300)
        let after = x
        for _ in 0..<2 {
            report = try run(bowl, opt, &x) { $0.maxIterations = 300; $0.runState = state }
            #expect(report.iterations == 300)
            #expect(report.stopReason == .maxIterations)
            #expect(x == after)
            #expect(opt.stepCount == 300)
        }
    }

    @Test("max_epochs alone is refused for a full-batch run and accepted for a sampled one")
    func maxEpochsAloneOnFullBatch() {
        var options = MinimizeOptions()
        options.maxIterations = 0
        options.maxEpochs = 5
        #expect(throws: GradientDescentError.self) { try options.validate(sampleCount: 10) }
        options.batchSize = 2
        #expect(throws: Never.self) { try options.validate(sampleCount: 10) }
    }

    @Test("an exponential schedule refuses gamma 0 when it is set")
    func gammaZeroRefused() throws {
        let s = try Schedule(name: "exponential")
        #expect(throws: GradientDescentError.self) { try s.set("gamma", to: 0) }
        #expect(try s.value(of: "gamma") == 0)
    }
}

/// Recomputes a blob's CRC-32 (zlib's) over its body into the header.
private func fixChecksum(_ blob: inout [UInt8]) {
    let checksum = blob.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[StateBlob.headerSize...])) }
    withUnsafeBytes(of: checksum.littleEndian) { blob.replaceSubrange(24..<28, with: $0) }
}
