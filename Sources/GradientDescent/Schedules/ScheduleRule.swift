/// Where a schedule is between steps. Every schedule keeps the same fields (the closed forms
/// use only `steps` and the learning rates), so that saving and loading is one layout.
struct ScheduleState: Equatable, Sendable {
    var started = false
    /// The optimizer's lr when the schedule started (PyTorch's `initial_lr`).
    var baseLearningRate = Double.nan
    /// The lr for the next update.
    var learningRate = Double.nan
    /// Steps taken since the start (PyTorch's `last_epoch`).
    var steps: UInt64 = 0
    /// ReduceLROnPlateau: the best loss so far, bad steps in a row, cooldown steps left.
    var best = Double.nan
    var badSteps: UInt64 = 0
    var cooldownCounter: UInt64 = 0
    /// OneCycleLR and CyclicLR with cycle_momentum: the momentum (SGD, RMSprop) or beta1 (the
    /// Adam family) for the next step; NaN when the schedule does not cycle momentum.
    var momentum = Double.nan
    /// CosineAnnealingWarmRestarts: epochs since the last restart (T_cur) and the current
    /// period (T_i); fractional after a step to a fractional epoch.
    var restartCurrent = 0.0
    var restartPeriod = 0.0
}

/// The run's position when a schedule starts or steps; a callback schedule sees it.
public struct ScheduleClock: Sendable {
    /// Updates applied so far.
    public var iteration: UInt64
    /// Epochs completed so far (0 in full-batch runs).
    public var epoch: UInt64

    /// The position after `iteration` updates and `epoch` epochs.
    public init(iteration: UInt64, epoch: UInt64) {
        self.iteration = iteration
        self.epoch = epoch
    }
}

/// One learning-rate schedule: its keys (PyTorch's argument names) and how the lr evolves.
protocol ScheduleRule: Sendable {
    var name: String { get }
    var hyperparameters: [Hyperparameter] { get }

    /// Required keys and combinations, checked when the schedule starts.
    func validate(_ hyperparameters: Hyperparameters) throws(GradientDescentError)

    /// Fills the rule's state at the start (baseLearningRate is set, steps is 0) and returns
    /// the lr of step 0.
    func start(_ state: inout ScheduleState, hyperparameters: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double

    /// After a step whose loss was `loss`; `state.steps` is already advanced and
    /// `state.learningRate` is the lr that step used. Returns the lr of the next step.
    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double
}

extension ScheduleRule {
    func validate(_ hyperparameters: Hyperparameters) throws(GradientDescentError) {}
}

/// A schedule that can jump to an epoch, as PyTorch's deprecated `scheduler.step(epoch)`
/// does: closed forms at a whole epoch, CosineAnnealingWarmRestarts at a fractional one.
protocol EpochSettableSchedule: ScheduleRule {
    /// Sets the state to `epoch` (>= 0, finite; `state.steps` is ⌊epoch⌋ already) and returns
    /// the lr there.
    func jump(_ state: inout ScheduleState, to epoch: Double,
              hyperparameters: Hyperparameters) throws(GradientDescentError) -> Double
}

/// A schedule that ChainedScheduler can hold: PyTorch's `get_lr()`, which maps the lr the
/// previous scheduler in the chain left (`current`) to this one's, at `state.steps`.
protocol ChainableSchedule: ScheduleRule {
    func chained(_ state: inout ScheduleState, current: Double,
                 hyperparameters: Hyperparameters) throws(GradientDescentError) -> Double
}

extension EpochSettableSchedule {
    /// Only warm_restarts takes fractional epochs, as in PyTorch.
    func requireWholeEpoch(_ epoch: Double) throws(GradientDescentError) {
        if epoch != epoch.rounded(.down) {
            throw GradientDescentError(.invalidArgument,
                "\(name) schedule steps to whole epochs only, got \(epoch) (fractional epochs: warm_restarts)")
        }
    }
}

/// A schedule that PyTorch computes from the step number alone in get_lr, with the momentum
/// it cycles (OneCycleLR, CyclicLR): starting, stepping, jumping and chaining all evaluate it
/// at `state.steps`.
protocol StepFunctionSchedule: EpochSettableSchedule, ChainableSchedule {
    /// The lr at step e, and the momentum (NaN when the schedule does not cycle it).
    func values(at e: UInt64, _ h: Hyperparameters) throws(GradientDescentError) -> (lr: Double, momentum: Double)
}

extension StepFunctionSchedule {
    private func evaluate(_ state: inout ScheduleState, _ h: Hyperparameters) throws(GradientDescentError) -> Double {
        let (lr, momentum) = try values(at: state.steps, h)
        state.momentum = momentum
        return lr
    }

    func start(_ state: inout ScheduleState, hyperparameters h: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try evaluate(&state, h)
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters h: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try evaluate(&state, h)
    }

    func jump(_ state: inout ScheduleState, to epoch: Double,
              hyperparameters h: Hyperparameters) throws(GradientDescentError) -> Double {
        try requireWholeEpoch(epoch)
        return try evaluate(&state, h)
    }

    /// In a chain the lr is absolute: PyTorch's get_lr ignores the current lr.
    func chained(_ state: inout ScheduleState, current: Double,
                 hyperparameters h: Hyperparameters) throws(GradientDescentError) -> Double {
        try evaluate(&state, h)
    }
}

/// Python's a % m for m > 0 (never negative), on whole numbers held as Int64.
func pythonModulo(_ a: Int64, _ m: Int64) -> Int64 {
    let r = a % m
    return r < 0 ? r + m : r
}

/// A schedule whose lr is a function of the step index alone: PyTorch's `_get_closed_form_lr`.
protocol ClosedFormSchedule: EpochSettableSchedule {
    /// The lr at step `step` from `base`, with PyTorch's operations in PyTorch's order.
    func rate(step: UInt64, base: Double, hyperparameters: Hyperparameters) -> Double
}

extension ClosedFormSchedule {
    func jump(_ state: inout ScheduleState, to epoch: Double,
              hyperparameters: Hyperparameters) throws(GradientDescentError) -> Double {
        try requireWholeEpoch(epoch)
        return rate(step: state.steps, base: state.baseLearningRate, hyperparameters: hyperparameters)
    }

    func start(_ state: inout ScheduleState, hyperparameters: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        rate(step: 0, base: state.baseLearningRate, hyperparameters: hyperparameters)
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        rate(step: state.steps, base: state.baseLearningRate, hyperparameters: hyperparameters)
    }
}

/// A key that PyTorch requires (no default): 0 here means "not set".
func requireSet(_ h: Hyperparameters, _ index: Int) throws(GradientDescentError) {
    if h.values[index] == 0 {
        throw GradientDescentError(.invalidArgument,
            "\(h.rule) schedule needs \(h.specifications[index].key) to be set (> 0)")
    }
}

/// base · factor for the closed forms that multiply (StepLR, ExponentialLR), kept finite: a
/// product beyond the largest double (gamma > 1 over many steps) saturates at
/// `Double.greatestFiniteMagnitude` where PyTorch's becomes inf, and 0 · inf is 0. Every lr a
/// schedule reaches is then finite, so every state it reaches saves and loads back.
func scaledRate(_ base: Double, by factor: Double) -> Double {
    let rate = base * factor
    if rate.isFinite { return rate }
    return base == 0 || factor == 0 ? 0 : .greatestFiniteMagnitude
}
