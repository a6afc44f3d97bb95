/// A schedule's keys and progress as a blob (StateBlob, kind 2):
///
///     string name
///     u32 count, then (string key, f64 value) per key
///     u64 started, f64 base lr, f64 lr, u64 steps, f64 best, u64 bad steps, u64 cooldown left
///     f64 momentum (NaN: not cycling), f64 T_cur, f64 T_i          (absent in older blobs)
///     u32 child count, then per child: u64 milestone, its body as above (recursively)
///     with parameter groups only, after the top-level body: u32 count, then per group
///     1, 2, ... its progress (the ten fields from "started" to T_i)
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
        writeBody(&writer)
        if !groupStates.isEmpty {
            writer.u32(UInt32(groupStates.count))
            for groupState in groupStates {
                writer.scheduleProgress(groupState)
            }
        }
    }

    private func writeBody(_ writer: inout BlobWriter) {
        writer.string(name)
        writer.hyperparameters(hyperparameters)
        writer.bool(state.started)
        writer.f64(state.baseLearningRate)
        writer.f64(state.learningRate)
        writer.u64(state.steps)
        writer.f64(state.best)
        writer.u64(state.badSteps)
        writer.u64(state.cooldownCounter)
        writer.f64(state.momentum)
        writer.f64(state.restartCurrent)
        writer.f64(state.restartPeriod)
        writer.u32(UInt32(children.count))
        for (child, milestone) in zip(children, milestones) {
            writer.u64(milestone)
            child.writeBody(&writer)
        }
    }

    /// Replaces keys and progress with a saved state of a schedule of the same name
    /// (`.badState` otherwise); nothing changes on failure.
    public func loadState(_ blob: UnsafeRawBufferPointer) throws(GradientDescentError) {
        var reader = try StateBlob.open(blob, as: .schedule)
        let apply = try readBody(&reader, nested: false)
        let loadedGroups = try readGroups(&reader)
        try reader.finish()
        apply()
        groupStates = loadedGroups
    }

    /// The progress of groups 1, 2, ... after a top-level body (none when the blob ends).
    private func readGroups(_ reader: inout BlobReader) throws(GradientDescentError) -> [ScheduleState] {
        var loadedGroups: [ScheduleState] = []
        if reader.remaining == 0 { return loadedGroups }
        if composition != nil {
            throw GradientDescentError(.badState, "the state has parameter groups; \(name) schedules take none")
        }
        let count = Int(try reader.u32("the number of groups"))
        if count > Optimizer.maximumGroupCount {
            throw GradientDescentError(.badState, "the state lists \(count) groups")
        }
        for group in 0..<count {
            let groupState = try reader.scheduleProgress()
            if !(groupState.baseLearningRate >= 0) || groupState.baseLearningRate.isInfinite
                || !(groupState.learningRate >= 0) || groupState.learningRate.isInfinite
                || groupState.steps > savedCounterLimit || !groupState.started
                || !groupState.momentum.isNaN && !(groupState.momentum >= 0 && groupState.momentum.isFinite)
                || !(groupState.restartCurrent >= 0) || !(groupState.restartPeriod >= groupState.restartCurrent)
                || groupState.restartPeriod > Double(savedCounterLimit) {
                throw GradientDescentError(.badState, "the state of group \(group + 1) is out of range")
            }
            loadedGroups.append(groupState)
        }
        return loadedGroups
    }

    /// Reads and checks this schedule's body (and its children's) without changing anything;
    /// the returned closure applies it.
    private func readBody(_ reader: inout BlobReader, nested: Bool) throws(GradientDescentError) -> () -> Void {
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
        var childUpdates: [() -> Void] = []
        if nested || reader.remaining > 0 {
            progress.momentum = try reader.f64("the momentum")
            progress.restartCurrent = try reader.f64("T_cur")
            progress.restartPeriod = try reader.f64("T_i")
            if !progress.momentum.isNaN && !(progress.momentum >= 0 && progress.momentum.isFinite) {
                throw GradientDescentError(.badState, "the state's momentum is \(progress.momentum)")
            }
            if !(progress.restartCurrent >= 0) || progress.restartCurrent > Double(savedCounterLimit)
                || !(progress.restartPeriod >= 0) || progress.restartPeriod > Double(savedCounterLimit)
                || progress.restartCurrent > progress.restartPeriod {
                throw GradientDescentError(.badState,
                    "the state's T_cur \(progress.restartCurrent) and T_i \(progress.restartPeriod) are out of range")
            }
            if rule is WarmRestartsSchedule && progress.started && !(progress.restartPeriod >= 1) {
                throw GradientDescentError(.badState, "the state's T_i \(progress.restartPeriod) is out of range")
            }
            let count = Int(try reader.u32("the number of children"))
            if count != children.count {
                throw GradientDescentError(.badState, "the state has \(count) children; this schedule has \(children.count)")
            }
            for (child, milestone) in zip(children, milestones) {
                let saved = try reader.u64("a milestone")
                if saved != milestone {
                    throw GradientDescentError(.badState, "the state's milestone \(saved) differs from this schedule's \(milestone)")
                }
                childUpdates.append(try child.readBody(&reader, nested: true))
            }
        } else if !children.isEmpty {
            throw GradientDescentError(.badState, "the state has no children; this schedule has \(children.count)")
        }
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
        for (what, counter) in [("step count", progress.steps), ("bad step count", progress.badSteps),
                                ("cooldown counter", progress.cooldownCounter)]
        where counter > savedCounterLimit {
            throw GradientDescentError(.badState, "the state's \(what) \(counter) is out of range")
        }
        return {
            self.hyperparameters = loaded
            self.state = progress
            for update in childUpdates { update() }
        }
    }
}
