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
public final class Schedule {
    /// lr = f(iteration, epoch, lr, loss); see `init(callback:)`.
    public typealias Callback = @Sendable (_ iteration: UInt64, _ epoch: UInt64, _ learningRate: Double,
                                           _ loss: Double) throws(GradientDescentError) -> Double

    /// Every built-in schedule name, in the order the header lists them.
    public static let names: [String] = [
        "constant", "step", "exponential", "cosine", "linear", "warmup_cosine", "plateau",
    ]

    /// The schedule's name ("cosine", or "callback").
    public let name: String
    let rule: any ScheduleRule
    var hyperparameters: Hyperparameters
    var state = ScheduleState()

    /// A built-in schedule at its defaults; `.unknownName` for a name not in `names`.
    public init(name: String) throws(GradientDescentError) {
        guard let rule = Schedule.makeRule(named: name) else {
            throw GradientDescentError(.unknownName,
                "unknown schedule '\(name)'; valid names: \(Schedule.names.joined(separator: ", "))")
        }
        self.name = name
        self.rule = rule
        self.hyperparameters = Hyperparameters(rule: name, specifications: rule.hyperparameters, owner: "schedule")
    }

    /// A schedule computed by `callback`, asked for the lr of the next step: once at the start
    /// (lr = the base lr, loss = NaN) and after every step (lr = the lr that step used, loss =
    /// its loss). iteration and epoch are the run's counters when a run steps it. Returning
    /// NaN, an infinity or a negative value, or throwing, aborts the run.
    public init(callback: @escaping Callback) {
        self.name = "callback"
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
    }

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
        var fresh = ScheduleState()
        fresh.baseLearningRate = baseLearningRate
        fresh.learningRate = try rule.start(&fresh, hyperparameters: hyperparameters, clock: clock)
        fresh.started = true
        state = fresh
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
        var next = state
        next.steps &+= 1 // a loaded state is at most 2^62 steps in
        next.learningRate = try rule.advance(&next, loss: loss, hyperparameters: hyperparameters, clock: clock)
        state = next
        return next.learningRate
    }

    /// Forgets the progress: the next run starts again from the optimizer's lr.
    public func reset() {
        state = ScheduleState()
    }
}
