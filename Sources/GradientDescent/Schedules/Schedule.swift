/// A learning-rate schedule with PyTorch's semantics (torch.optim.lr_scheduler), stepped by
/// a run once per update or once per epoch, or by hand with `step(loss:clock:)`.
///
/// A schedule is stateful, like PyTorch's scheduler objects: it starts when first used,
/// taking the optimizer's lr as its base (PyTorch's `initial_lr`), and then carries on across
/// runs until `reset()` or `start(baseLearningRate:clock:)`. Step e (0 first) uses
/// `learningRate` after e calls to `step`. Names and keys:
///
///     constant       factor=1 total_iters=0                       (ConstantLR)
///     step           step_size (required) gamma=0.1               (StepLR)
///     exponential    gamma (required)                             (ExponentialLR)
///     cosine         t_max (required) eta_min=0                   (CosineAnnealingLR, closed form)
///     linear         start_factor=1/3 end_factor=1 total_iters=5  (LinearLR, closed form)
///     warmup_cosine  warmup_steps (required) start_factor=1/3 t_max (required) eta_min=0
///     plateau        mode=0 factor=0.1 patience=10 threshold=1e-4 threshold_mode=0
///                    cooldown=0 min_lr=0 eps=1e-8                 (ReduceLROnPlateau)
///     multistep      milestone_1 (required) ... milestone_8 gamma=0.1   (MultiStepLR)
///     polynomial     total_iters=5 power=1                        (PolynomialLR)
///     warm_restarts  t_0 (required) t_mult=1 eta_min=0            (CosineAnnealingWarmRestarts)
///     one_cycle      max_lr, total_steps (required) pct_start=0.3 anneal_strategy=0
///                    cycle_momentum=1 base_momentum=0.85 max_momentum=0.95 div_factor=25
///                    final_div_factor=1e4 three_phase=0           (OneCycleLR)
///     cyclic         base_lr, max_lr (required) step_size_up=2000 step_size_down=0 mode=0
///                    gamma=1 cycle_momentum=1 base_momentum=0.8 max_momentum=0.9  (CyclicLR)
///     sequential     children added with `append(_:milestone:)`   (SequentialLR)
///     chained        children added with `append(_:milestone:)`   (ChainedScheduler)
public final class Schedule {
    /// lr = f(iteration, epoch, lr, loss); see `init(callback:)`.
    public typealias Callback = @Sendable (_ iteration: UInt64, _ epoch: UInt64, _ learningRate: Double,
                                           _ loss: Double) throws(GradientDescentError) -> Double

    /// Every built-in schedule name, in the order the header lists them.
    public static let names: [String] = [
        "constant", "step", "exponential", "cosine", "linear", "warmup_cosine", "plateau",
        "multistep", "polynomial", "warm_restarts", "one_cycle", "cyclic", "sequential", "chained",
    ]

    /// The schedule's name ("cosine", or "callback").
    public let name: String
    let rule: any ScheduleRule
    var hyperparameters: Hyperparameters
    var state = ScheduleState()
    /// With an optimizer's parameter groups, the progress of groups 1, 2, ... (group 0's is
    /// `state`); empty otherwise. See ScheduleGroups.swift.
    var groupStates: [ScheduleState] = []
    var groupScratch: [ScheduleState] = []
    /// SequentialLR or ChainedScheduler: the children (copies, owned here) and, for
    /// sequential, the step at which each takes over (0 for the first).
    let composition: Composition?
    var children: [Schedule] = []
    var milestones: [UInt64] = []
    /// Chained: the children's next states while a step is computed, kept so that a step
    /// allocates nothing.
    var chainScratch: [ScheduleState] = []

    /// A built-in schedule at its defaults; `.unknownName` for a name not in `names`.
    public init(name: String) throws(GradientDescentError) {
        composition = Composition(rawValue: name)
        guard let rule = Schedule.makeRule(named: name) else {
            throw GradientDescentError(.unknownName,
                "unknown schedule '\(name)'; valid names: \(Schedule.names.joined(separator: ", "))")
        }
        self.name = name
        self.rule = rule
        self.hyperparameters = Hyperparameters(rule: name, specifications: rule.hyperparameters, owner: "schedule")
    }

    /// A schedule of a given rule and keys, not started (copies of children).
    init(rule: any ScheduleRule, name: String, hyperparameters: Hyperparameters, composition: Composition?) {
        self.rule = rule
        self.name = name
        self.hyperparameters = hyperparameters
        self.composition = composition
    }

    /// A schedule computed by `callback`, asked for the lr of the next step: once at the start
    /// (lr = the base lr, loss = NaN) and after every step (lr = the lr that step used, loss =
    /// its loss). iteration and epoch are the run's counters when a run steps it. Returning
    /// NaN, an infinity or a negative value, or throwing, aborts the run.
    public init(callback: @escaping Callback) {
        self.name = "callback"
        self.composition = nil
        self.rule = CallbackSchedule(function: callback)
        self.hyperparameters = Hyperparameters(rule: "callback", specifications: [], owner: "schedule")
    }

    static func makeRule(named name: String) -> (any ScheduleRule)? {
        switch name {
        case "constant": ConstantSchedule()
        case "step": StepSchedule()
        case "exponential": ExponentialSchedule()
        case "cosine": CosineSchedule()
        case "linear": LinearSchedule()
        case "warmup_cosine": WarmupCosineSchedule()
        case "plateau": PlateauSchedule()
        case "multistep": MultiStepSchedule()
        case "polynomial": PolynomialSchedule()
        case "warm_restarts": WarmRestartsSchedule()
        case "one_cycle": OneCycleSchedule()
        case "cyclic": CyclicSchedule()
        case "sequential", "chained": CompositeSchedule(name: name)
        default: nil
        }
    }

    /// The schedule's keys, in a stable order.
    public var keys: [String] { hyperparameters.keys }

    /// Sets a key (`.unknownKey`, `.invalidArgument` as for optimizers). Progress is kept;
    /// the new value applies from the next step.
    public func set(_ key: String, to value: Double) throws(GradientDescentError) {
        try hyperparameters.set(key, to: value)
    }

    /// The current value of a hyper-parameter; `.unknownKey` for an unknown key.
    public func value(of key: String) throws(GradientDescentError) -> Double {
        try hyperparameters.value(of: key)
    }

    /// Keys PyTorch requires (step_size, gamma, t_max, warmup_steps) and combinations.
    public func validate() throws(GradientDescentError) {
        try rule.validate(hyperparameters)
        try validateChildren()
    }

    /// The momentum (SGD, RMSprop) or beta1 (Adam family) for the next step when the schedule
    /// cycles momentum (one_cycle, cyclic, or a composite holding one); NaN otherwise.
    public var momentum: Double { state.started ? state.momentum : .nan }

    /// True once the schedule has started and until `reset()`.
    public var isStarted: Bool { state.started }

    /// The lr for the next step; NaN before the start.
    public var learningRate: Double { state.started ? state.learningRate : .nan }

    /// The lr the schedule started from; NaN before the start.
    public var baseLearningRate: Double { state.started ? state.baseLearningRate : .nan }

    /// Steps taken since the start.
    public var stepCount: UInt64 { state.steps }

    /// Starts (or restarts) at step 0 from `baseLearningRate` and returns the lr of step 0.
    @discardableResult
    public func start(baseLearningRate: Double,
                      clock: ScheduleClock = ScheduleClock(iteration: 0, epoch: 0)) throws(GradientDescentError) -> Double {
        if !(baseLearningRate >= 0) || baseLearningRate.isInfinite {
            throw GradientDescentError(.invalidArgument, "the base lr must be finite and >= 0, got \(baseLearningRate)")
        }
        try validate()
        if composition != nil {
            let rate = try startComposite(baseLearningRate: baseLearningRate, clock: clock)
            groupStates = []
            return rate
        }
        var fresh = ScheduleState()
        fresh.baseLearningRate = baseLearningRate
        fresh.learningRate = try rule.start(&fresh, hyperparameters: hyperparameters, clock: clock)
        fresh.started = true
        state = fresh
        groupStates = []
        return fresh.learningRate
    }

    /// Takes one step whose loss was `loss` (only plateau and callback schedules read it) and
    /// returns the lr of the next step. The schedule must have started. On a failure (a
    /// callback's) nothing changes.
    @discardableResult
    public func step(loss: Double,
                     clock: ScheduleClock = ScheduleClock(iteration: 0, epoch: 0)) throws(GradientDescentError) -> Double {
        if !state.started {
            throw GradientDescentError(.invalidArgument, "the schedule has not started; call start first")
        }
        if composition != nil {
            return try stepComposite(loss: loss, clock: clock)
        }
        var next = state
        next.steps.countOne()
        next.learningRate = try rule.advance(&next, loss: loss, hyperparameters: hyperparameters, clock: clock)
        state = next
        return next.learningRate
    }

    /// Jumps to `epoch` as PyTorch's deprecated `scheduler.step(epoch)` does: closed forms,
    /// one_cycle and cyclic at a whole epoch, warm_restarts at any epoch >= 0 (its documented
    /// `step(epoch + i / iters)`). The schedule must have started; others fail with
    /// `.invalidArgument`. Returns the lr there.
    @discardableResult
    public func step(toEpoch epoch: Double) throws(GradientDescentError) -> Double {
        if !state.started {
            throw GradientDescentError(.invalidArgument, "the schedule has not started; call start first")
        }
        guard let settable = rule as? any EpochSettableSchedule else {
            throw GradientDescentError(.invalidArgument, "\(name) schedule cannot step to a given epoch")
        }
        if !(epoch >= 0) || epoch > Double(savedCounterLimit) {
            throw GradientDescentError(.invalidArgument, "the epoch must be >= 0 and finite, got \(epoch)")
        }
        var next = state
        next.steps = UInt64(epoch.rounded(.down))
        next.learningRate = try settable.jump(&next, to: epoch, hyperparameters: hyperparameters)
        state = next
        return next.learningRate
    }

    /// Forgets the progress: the next run starts again from the optimizer's lr.
    public func reset() {
        state = ScheduleState()
        groupStates = []
        for child in children { child.reset() }
    }
}
