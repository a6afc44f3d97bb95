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

/// A schedule whose lr is a function of the step index alone: PyTorch's `_get_closed_form_lr`.
protocol ClosedFormSchedule: ScheduleRule {
    /// The lr at step `step` from `base`, with PyTorch's operations in PyTorch's order.
    func rate(step: UInt64, base: Double, hyperparameters: Hyperparameters) -> Double
}

extension ClosedFormSchedule {
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
