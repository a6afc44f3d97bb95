/// A schedule's keys and progress as a blob (StateBlob, kind 2):
///
///     string name
///     u32 count, then (string key, f64 value) per key
///     u64 started, f64 base lr, f64 lr, u64 steps, f64 best, u64 bad steps, u64 cooldown left
///     with parameter groups only: u32 count, then the seven fields above per group 1, 2, ...
extension Schedule {
    /// Bytes `saveState(into:)` writes.
    public var stateByteCount: Int { StateBlob.size(writeState) }

    /// Writes the state into `destination` (at least `stateByteCount` bytes, else
    /// `.invalidArgument`); returns the bytes written.
    public func saveState(into destination: UnsafeMutableRawBufferPointer) throws(GradientDescentError) -> Int {
        try StateBlob.save(.schedule, into: destination, writeState)
    }

    /// The state as bytes.
    public func saveState() -> [UInt8] { StateBlob.bytes(.schedule, writeState) }

    private func writeState(_ writer: inout BlobWriter) {
        writer.string(name)
        writer.hyperparameters(hyperparameters)
        writer.bool(state.started)
        writer.f64(state.baseLearningRate)
        writer.f64(state.learningRate)
        writer.u64(state.steps)
        writer.f64(state.best)
        writer.u64(state.badSteps)
        writer.u64(state.cooldownCounter)
        if !groupStates.isEmpty {
            writer.u32(UInt32(groupStates.count))
            for groupState in groupStates {
                writer.scheduleProgress(groupState)
            }
        }
    }

    /// Replaces keys and progress with a saved state of a schedule of the same name
    /// (`.badState` otherwise); nothing changes on failure.
    public func loadState(_ blob: UnsafeRawBufferPointer) throws(GradientDescentError) {
        var reader = try StateBlob.open(blob, as: .schedule)
        let savedName = try reader.string("the schedule name")
        if savedName != name {
            throw GradientDescentError(.badState, "the state was saved by schedule '\(savedName)'; this schedule is '\(name)'")
        }
        let loaded = try reader.hyperparameters(over: hyperparameters)
        var progress = ScheduleState()
        progress.started = try reader.bool("the started flag")
        progress.baseLearningRate = try reader.f64("the base lr")
        progress.learningRate = try reader.f64("the lr")
        progress.steps = try reader.u64("the step count")
        progress.best = try reader.f64("the best loss")
        progress.badSteps = try reader.u64("the bad step count")
        progress.cooldownCounter = try reader.u64("the cooldown counter")
        var loadedGroups: [ScheduleState] = []
        if !reader.isAtEnd {
            let count = Int(try reader.u32("the number of groups"))
            if count > Optimizer.maximumGroupCount {
                throw GradientDescentError(.badState, "the state lists \(count) groups")
            }
            for group in 0..<count {
                let groupState = try reader.scheduleProgress()
                if groupState.started != progress.started || groupState.steps != progress.steps
                    || !(groupState.baseLearningRate >= 0) || groupState.baseLearningRate.isInfinite
                    || !(groupState.learningRate >= 0) || groupState.learningRate.isInfinite {
                    throw GradientDescentError(.badState, "the state of group \(group + 1) does not fit group 0's")
                }
                loadedGroups.append(groupState)
            }
        }
        try reader.finish()
        if progress.started {
            for (what, value) in [("base lr", progress.baseLearningRate), ("lr", progress.learningRate)]
            where !(value >= 0) || value.isInfinite {
                throw GradientDescentError(.badState, "the state's \(what) is \(value)")
            }
            // A started schedule steps at once: its required keys must be there.
            do {
                try rule.validate(loaded)
            } catch {
                throw GradientDescentError(.badState, "the state is started but incomplete: \(error.message)")
            }
        }
        if progress.steps > savedCounterLimit {
            throw GradientDescentError(.badState, "the state's step count \(progress.steps) is out of range")
        }
        hyperparameters = loaded
        state = progress
        groupStates = loadedGroups
    }
}
