import Testing
@testable import GradientDescent

/// A rule with flags that give it every kind of state it has.
struct ResumeCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let settings: [String: Double]
    var testDescription: String { rule }

    static let all: [ResumeCase] = [
        ResumeCase(rule: "sgd", settings: ["lr": 0.05, "momentum": 0.9, "nesterov": 1]),
        ResumeCase(rule: "adam", settings: ["lr": 0.05, "amsgrad": 1]),
        ResumeCase(rule: "adamw", settings: ["lr": 0.05]),
        ResumeCase(rule: "rmsprop", settings: ["lr": 0.01, "centered": 1, "momentum": 0.5]),
        ResumeCase(rule: "adagrad", settings: ["lr": 0.1, "initial_accumulator_value": 0.1]),
        ResumeCase(rule: "adadelta", settings: ["lr": 1]),
        ResumeCase(rule: "adamax", settings: ["lr": 0.05]),
        ResumeCase(rule: "nadam", settings: ["lr": 0.05]),
        ResumeCase(rule: "radam", settings: ["lr": 0.05]),
    ]
}

@Suite("Saved states and resume") struct CheckpointTests {
    @Test("a run split at N and resumed from saved bytes equals the uninterrupted run, bit for bit",
          arguments: ResumeCase.all, [0, 3])
    func resume(_ c: ResumeCase, batchSize: Int) throws {
        func configure(_ options: inout MinimizeOptions, _ s: Schedule, _ state: RunState?, _ iterations: UInt64) {
            options.maxIterations = iterations
            options.batchSize = batchSize
            options.seed = 9
            options.schedule = s
            options.schedulePerEpoch = batchSize > 0
            options.runState = state
            options.keepBest = true
            options.clipping = GradientClipping(maxNorm: 0.5)
        }
        func makeSchedule() throws -> Schedule {
            batchSize > 0 ? try schedule("plateau", ["patience": 0, "factor": 0.5, "threshold": 0.3])
                          : try schedule("cosine", ["t_max": 12])
        }
        let data = SmallRegression()
        for split: UInt64 in [5, 8] {
            var straight = [0.5, -0.5, 0.25]
            let straightOptimizer = try optimizer(c.rule, 3, c.settings)
            let straightSchedule = try makeSchedule()
            _ = try run(data, straightOptimizer, &straight) { configure(&$0, straightSchedule, nil, 2 * split) }

            var x = [0.5, -0.5, 0.25]
            let first = try optimizer(c.rule, 3, c.settings)
            let firstSchedule = try makeSchedule()
            let firstState = RunState()
            _ = try run(data, first, &x) { configure(&$0, firstSchedule, firstState, split) }
            let saved = (first.saveState(), firstSchedule.saveState(), firstState.saveState())

            let second = try saved.0.withUnsafeBytes { try Optimizer(state: $0) }
            let secondSchedule = try makeSchedule()
            try saved.1.withUnsafeBytes { try secondSchedule.loadState($0) }
            let secondState = RunState()
            try saved.2.withUnsafeBytes { try secondState.loadState($0) }
            let report = try run(data, second, &x) { configure(&$0, secondSchedule, secondState, 2 * split) }
            #expect(report.iterations == 2 * split)
            #expect(x == straight, "split at \(split)")
            #expect(second.saveState() == straightOptimizer.saveState())
        }
    }

    @Test("a blob of another rule, dimension, version or kind, truncated or corrupted, is .badState and changes nothing")
    func badBlobs() throws {
        let adam = try optimizer("adam", 2, ["lr": 0.3])
        var x = [1.0, 2.0]
        let g = [0.5, -0.5]
        x.withUnsafeMutableBufferPointer { xs in g.withUnsafeBufferPointer { adam.step(xs, gradient: $0) } }
        let blob = adam.saveState()
        #expect(blob.count == adam.stateByteCount)
        func status(_ bytes: [UInt8], into target: Optimizer) -> Status? {
            do {
                try bytes.withUnsafeBytes { try target.loadState($0) }
                return .ok
            } catch {
                return (error as? GradientDescentError)?.status
            }
        }
        #expect(status(blob, into: try Optimizer(rule: "sgd", dimension: 2)) == .badState)
        #expect(status(blob, into: try Optimizer(rule: "adam", dimension: 3)) == .badState)
        var version = blob
        version[8] = 9
        var kind = blob
        kind[12] = 2
        var corrupted = blob
        corrupted[blob.count - 1] ^= 1
        let target = try Optimizer(rule: "adam", dimension: 2)
        for bad in [version, kind, corrupted, Array(blob.dropLast()), Array(blob.prefix(20)), []] {
            #expect(status(bad, into: target) == .badState)
        }
        #expect(try target.value(of: "lr") == 0.001)
        #expect(target.stepCount == 0)
        #expect(status(blob, into: target) == .ok)
        #expect(try target.value(of: "lr") == 0.3)
        #expect(target.stepCount == 1)
        let loaded: [Double] = target.state.buffer(named: "exp_avg").map { Array($0) } ?? []
        let original: [Double] = adam.state.buffer(named: "exp_avg").map { Array($0) } ?? []
        #expect(loaded == original)
    }

    @Test("the blob's header is the documented one and its checksum is zlib's CRC-32")
    func blobHeader() throws {
        let blob = try Optimizer(rule: "sgd", dimension: 1).saveState()
        #expect(Array(blob.prefix(8)) == Array("GDSTATE".utf8) + [0])
        #expect(blob[8..<16] == [1, 0, 0, 0, 1, 0, 0, 0])
        #expect(blob[16] == UInt8(blob.count & 0xFF) && blob[17] == UInt8(blob.count >> 8))
        // zlib.crc32(b"123456789") == 0xCBF43926
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
        #expect(check == 0xCBF4_3926)
    }

    @Test("well-formed blobs whose values would trap later are .badState: a started schedule without its required key, saturated counters")
    func blobsThatWouldTrap() throws {
        let incomplete = StateBlob.bytes(.schedule) { writer in
            writer.string("step")
            writer.u32(0) // no keys: step_size stays unset (0), a division by zero at the next step
            writer.bool(true)
            writer.f64(0.1)
            writer.f64(0.1)
            writer.u64(3)
            writer.f64(.nan)
            writer.u64(0)
            writer.u64(0)
        }
        let s = try Schedule(name: "step")
        #expect(throws: GradientDescentError.self) { try incomplete.withUnsafeBytes { try s.loadState($0) } }
        #expect(!s.isStarted)

        let state = RunState()
        var blob = state.saveState()
        // iterations (the first counter, after flags, dimension and sample count) at 2^64 - 1
        let at = StateBlob.headerSize + 24
        for i in 0..<8 { blob[at + i] = 0xFF }
        let checksum = Array(blob[StateBlob.headerSize...]).withUnsafeBytes { CRC32.checksum($0) }
        for i in 0..<4 { blob[24 + i] = UInt8((checksum >> (8 * UInt32(i))) & 0xFF) }
        #expect(throws: GradientDescentError.self) { try blob.withUnsafeBytes { try state.loadState($0) } }
    }

    @Test("a run state of another shape is refused before the run")
    func runStateShape() throws {
        let state = RunState()
        var x = [0.0, 0.0, 0.0]
        _ = try run(Bowl([1, 2, 3]), try optimizer("sgd", 3, ["lr": 0.5]), &x) {
            $0.maxIterations = 2
            $0.runState = state
        }
        #expect(state.iterationCount == 2)
        var y = [0.0, 0.0, 0.0]
        #expect(throws: GradientDescentError.self) {
            try run(SmallRegression(), try optimizer("sgd", 3, [:]), &y) {
                $0.batchSize = 2
                $0.runState = state
            }
        }
        state.reset()
        #expect(!state.isStarted)
    }
}
