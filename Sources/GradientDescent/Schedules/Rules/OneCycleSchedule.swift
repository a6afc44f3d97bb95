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
struct OneCycleSchedule: StepFunctionSchedule {
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

    /// One phase of the cycle: where it ends and what it anneals between.
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
    func values(at e: UInt64, _ h: Hyperparameters) throws(GradientDescentError) -> (lr: Double, momentum: Double) {
        let total = h[Key.totalSteps]
        if Double(e) > total {
            throw GradientDescentError(.invalidArgument,
                "one_cycle schedule stepped \(e) times; total_steps is \(UInt64(total)) (PyTorch raises here too)")
        }
        let maxLR = h[Key.maxLR], pct = h[Key.pctStart]
        let initial = maxLR / h[Key.divFactor]
        let minimum = initial / h[Key.finalDivFactor]
        let high = h[Key.maxMomentum], low = h[Key.baseMomentum]
        // PyTorch's phase list, walked without building it (a step allocates nothing): the
        // first phase whose end is at or after the step, or the last; each starts where the
        // previous one ended.
        let step = Double(e)
        let first = Phase(end: pct * total - 1, startLR: initial, endLR: maxLR, startMomentum: high, endMomentum: low)
        var startStep = 0.0
        let phase: Phase
        if step <= first.end {
            phase = first
        } else if h.flag(Key.threePhase) {
            let second = Phase(end: 2 * pct * total - 2, startLR: maxLR, endLR: initial, startMomentum: low, endMomentum: high)
            if step <= second.end {
                startStep = first.end
                phase = second
            } else {
                startStep = second.end
                phase = Phase(end: total - 1, startLR: initial, endLR: minimum, startMomentum: high, endMomentum: high)
            }
        } else {
            startStep = first.end
            phase = Phase(end: total - 1, startLR: maxLR, endLR: minimum, startMomentum: low, endMomentum: high)
        }
        let fraction = (step - startStep) / (phase.end - startStep)
        let lr = anneal(phase.startLR, phase.endLR, fraction, h)
        let momentum = h.flag(Key.cycleMomentum) ? anneal(phase.startMomentum, phase.endMomentum, fraction, h) : Double.nan
        return (lr, momentum)
    }

    /// The lr PyTorch sets as initial_lr: max_lr / div_factor.
    func initialLearningRate(_ h: Hyperparameters) -> Double { h[Key.maxLR] / h[Key.divFactor] }
}
