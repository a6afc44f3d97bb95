/// A schedule over an optimizer's parameter groups: each group's lr follows the schedule from
/// its own base lr, as PyTorch's schedulers treat every param group (`base_lrs`). Group 0's
/// progress is the schedule's `state`, the others' are `groupStates`; a step advances all of
/// them with the same loss and clock (ReduceLROnPlateau's best and bad-step count therefore
/// agree across groups, while min_lr and eps apply to each group's lr, as in PyTorch). A
/// callback schedule is called once per group.
extension Schedule {
    /// Groups the schedule runs for: 1 before the start or without groups.
    public var groupTotal: Int { 1 + groupStates.count }

    /// Starts (or restarts) at step 0, one group per base lr, and returns each group's lr of
    /// step 0. `.invalidArgument` for an empty list or a base lr that is not finite and >= 0.
    @discardableResult
    public func start(baseLearningRates: [Double],
                      clock: ScheduleClock = ScheduleClock(iteration: 0, epoch: 0)) throws(GradientDescentError) -> [Double] {
        guard let first = baseLearningRates.first else {
            throw GradientDescentError(.invalidArgument, "a schedule starts with at least one base lr")
        }
        try validate()
        if composition != nil && baseLearningRates.count > 1 {
            throw GradientDescentError(.invalidArgument,
                "\(name) schedules do not run over parameter groups; give each group's lr its own schedule or use one group")
        }
        var others: [ScheduleState] = []
        for base in baseLearningRates.dropFirst() {
            if !(base >= 0) || base.isInfinite {
                throw GradientDescentError(.invalidArgument, "the base lr must be finite and >= 0, got \(base)")
            }
            var fresh = ScheduleState()
            fresh.baseLearningRate = base
            fresh.learningRate = try rule.start(&fresh, hyperparameters: hyperparameters, clock: clock)
            fresh.started = true
            others.append(fresh)
        }
        let firstRate = try start(baseLearningRate: first, clock: clock)
        groupStates = others
        return [firstRate] + others.map(\.learningRate)
    }

    /// Group `group`'s lr for the next step (`group < groupTotal`); NaN before the start.
    public func learningRate(group: Int) -> Double {
        guard state.started, group >= 0, group < groupTotal else { return .nan }
        return group == 0 ? state.learningRate : groupStates[group - 1].learningRate
    }

    /// One step for every group (see `step(loss:clock:)`); on a failure nothing changes.
    public func stepGroups(loss: Double,
                           clock: ScheduleClock = ScheduleClock(iteration: 0, epoch: 0)) throws(GradientDescentError) {
        if groupStates.isEmpty {
            try step(loss: loss, clock: clock)
            return
        }
        if !state.started {
            throw GradientDescentError(.invalidArgument, "the schedule has not started; call start first")
        }
        // The next states go to a second array (allocated on the first step, reused after),
        // swapped in once every group and group 0 have stepped: a failing callback changes
        // nothing, and a run's steps allocate nothing.
        if groupScratch.count != groupStates.count {
            groupScratch = [ScheduleState](repeating: ScheduleState(), count: groupStates.count)
        }
        for index in groupStates.indices {
            var next = groupStates[index]
            next.steps &+= 1
            next.learningRate = try rule.advance(&next, loss: loss, hyperparameters: hyperparameters, clock: clock)
            groupScratch[index] = next
        }
        try step(loss: loss, clock: clock)
        swap(&groupStates, &groupScratch)
    }
}

extension BlobWriter {
    /// A schedule's progress: the ten fields of ScheduleCheckpoint's layout.
    mutating func scheduleProgress(_ progress: ScheduleState) {
        bool(progress.started)
        f64(progress.baseLearningRate)
        f64(progress.learningRate)
        u64(progress.steps)
        f64(progress.best)
        u64(progress.badSteps)
        u64(progress.cooldownCounter)
        f64(progress.momentum)
        f64(progress.restartCurrent)
        f64(progress.restartPeriod)
    }
}

extension BlobReader {
    /// A schedule's progress written by `BlobWriter.scheduleProgress`.
    mutating func scheduleProgress() throws(GradientDescentError) -> ScheduleState {
        var progress = ScheduleState()
        progress.started = try bool("a group's started flag")
        progress.baseLearningRate = try f64("a group's base lr")
        progress.learningRate = try f64("a group's lr")
        progress.steps = try u64("a group's step count")
        progress.best = try f64("a group's best loss")
        progress.badSteps = try u64("a group's bad step count")
        progress.cooldownCounter = try u64("a group's cooldown counter")
        progress.momentum = try f64("a group's momentum")
        progress.restartCurrent = try f64("a group's T_cur")
        progress.restartPeriod = try f64("a group's T_i")
        return progress
    }
}
