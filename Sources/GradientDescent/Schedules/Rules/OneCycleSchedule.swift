#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// torch.optim.lr_scheduler.OneCycleLR: from max_lr / div_factor up to max_lr over the first
/// pct_start of total_steps, then down to max_lr / div_factor / final_div_factor (three_phase:
/// up, back down to the initial lr over as many steps, then down to the minimum), annealed by
/// cosine (anneal_strategy 0) or linearly (1). With cycle_momentum the momentum (or beta1)
/// moves the other way between max_momentum and base_momentum. The optimizer's lr is not
/// used: the schedule's lr comes from max_lr, as in PyTorch. Stepping past total_steps fails,
/// as PyTorch's raises. max_lr and total_steps have no default.
struct OneCycleSchedule: ScheduleRule, EpochSettableSchedule, ChainableSchedule {
    enum Key: Int, CaseIterable {
        case maxLR, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum,
             divFactor, finalDivFactor, threePhase
    }

    var name: String { "one_cycle" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("max_lr", 0, .nonNegative),
         Hyperparameter("total_steps", 0, .positiveInteger),
         Hyperparameter("pct_start", 0.3, .closedUnitInterval),
         Hyperparameter("anneal_strategy", 0, .boolean),
         Hyperparameter("cycle_momentum", 1, .boolean),
         Hyperparameter("base_momentum", 0.85, .nonNegative),
         Hyperparameter("max_momentum", 0.95, .nonNegative),
         Hyperparameter("div_factor", 25, .positive),
         Hyperparameter("final_div_factor", 1e4, .positive),
         Hyperparameter("three_phase", 0, .boolean)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.maxLR.rawValue)
        try requireSet(h, Key.totalSteps.rawValue)
    }

    private struct Phase {
        var end: Double, startLR: Double, endLR: Double, startMomentum: Double, endMomentum: Double
    }

    private func anneal(_ start: Double, _ end: Double, _ pct: Double, _ h: Hyperparameters) -> Double {
        if h.flag(Key.annealStrategy) {
            return (end - start) * pct + start
        }
        let cosOut = cos(Double.pi * pct) + 1
        return end + (start - end) / 2.0 * cosOut
    }

    /// get_lr at step e: the lr, and the momentum when cycling (else NaN).
    private func values(at e: UInt64, _ h: Hyperparameters) throws(GradientDescentError) -> (Double, Double) {
        let total = h[Key.totalSteps]
        if Double(e) > total {
            throw GradientDescentError(.invalidArgument,
                "one_cycle schedule stepped \(e) times; total_steps is \(UInt64(total)) (PyTorch raises here too)")
        }
        let maxLR = h[Key.maxLR], pct = h[Key.pctStart]
        let initial = maxLR / h[Key.divFactor]
        let minimum = initial / h[Key.finalDivFactor]
        let high = h[Key.maxMomentum], low = h[Key.baseMomentum]
        let phases: [Phase]
        if h.flag(Key.threePhase) {
            phases = [Phase(end: pct * total - 1, startLR: initial, endLR: maxLR, startMomentum: high, endMomentum: low),
                      Phase(end: 2 * pct * total - 2, startLR: maxLR, endLR: initial, startMomentum: low, endMomentum: high),
                      Phase(end: total - 1, startLR: initial, endLR: minimum, startMomentum: high, endMomentum: high)]
        } else {
            phases = [Phase(end: pct * total - 1, startLR: initial, endLR: maxLR, startMomentum: high, endMomentum: low),
                      Phase(end: total - 1, startLR: maxLR, endLR: minimum, startMomentum: low, endMomentum: high)]
        }
        let step = Double(e)
        var startStep = 0.0
        for (index, phase) in phases.enumerated() {
            if step <= phase.end || index == phases.count - 1 {
                let fraction = (step - startStep) / (phase.end - startStep)
                let lr = anneal(phase.startLR, phase.endLR, fraction, h)
                let momentum = h.flag(Key.cycleMomentum)
                    ? anneal(phase.startMomentum, phase.endMomentum, fraction, h) : Double.nan
                return (lr, momentum)
            }
            startStep = phase.end
        }
        return (Double.nan, Double.nan) // unreachable: the last phase always matches
    }

    private func set(_ state: inout ScheduleState, _ h: Hyperparameters) throws(GradientDescentError) -> Double {
        let (lr, momentum) = try values(at: state.steps, h)
        state.momentum = momentum
        return lr
    }

    func start(_ state: inout ScheduleState, hyperparameters h: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try set(&state, h)
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters h: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try set(&state, h)
    }

    func jump(_ state: inout ScheduleState, to epoch: Double,
              hyperparameters h: Hyperparameters) throws(GradientDescentError) -> Double {
        try requireWholeEpoch(epoch)
        return try set(&state, h)
    }

    /// In a chain the lr is absolute (PyTorch's get_lr ignores the current lr).
    func chained(_ state: inout ScheduleState, current: Double,
                 hyperparameters h: Hyperparameters) throws(GradientDescentError) -> Double {
        try set(&state, h)
    }

    /// The lr PyTorch sets as initial_lr: max_lr / div_factor.
    func initialLearningRate(_ h: Hyperparameters) -> Double { h[Key.maxLR] / h[Key.divFactor] }
}
