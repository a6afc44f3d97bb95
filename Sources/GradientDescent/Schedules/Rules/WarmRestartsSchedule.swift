#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts: cosine annealing from the base lr
/// to eta_min over T_i steps, then a restart with T_i · T_mult:
///     lr = eta_min + (lr₀ − eta_min) · (1 + cos(π · T_cur / T_i)) / 2
/// T_cur counts steps since the last restart. Stepping to a fractional epoch (PyTorch's
/// `step(epoch + i / iters)`) places T_cur and T_i as PyTorch does. t_0 has no default.
struct WarmRestartsSchedule: ScheduleRule, EpochSettableSchedule, ChainableSchedule {
    enum Key: Int, CaseIterable { case t0, tMult, etaMin }

    var name: String { "warm_restarts" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("t_0", 0, .positiveInteger),
         Hyperparameter("t_mult", 1, .positiveInteger),
         Hyperparameter("eta_min", 0, .nonNegative)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.t0.rawValue)
    }

    private func rate(_ state: ScheduleState, _ h: Hyperparameters) -> Double {
        let etaMin = h[Key.etaMin]
        return etaMin + (state.baseLearningRate - etaMin) * (1 + cos(Double.pi * state.restartCurrent / state.restartPeriod)) / 2
    }

    func start(_ state: inout ScheduleState, hyperparameters h: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        state.restartCurrent = 0
        state.restartPeriod = h[Key.t0]
        return rate(state, h)
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters h: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        state.restartCurrent += 1
        if state.restartCurrent >= state.restartPeriod {
            state.restartCurrent = fmod(state.restartCurrent, state.restartPeriod)
            state.restartPeriod *= h[Key.tMult]
        }
        return rate(state, h)
    }

    func jump(_ state: inout ScheduleState, to epoch: Double,
              hyperparameters h: Hyperparameters) throws(GradientDescentError) -> Double {
        let t0 = h[Key.t0], tMult = h[Key.tMult]
        if epoch >= t0 {
            if tMult == 1 {
                state.restartCurrent = fmod(epoch, t0)
            } else {
                let n = (log(epoch / t0 * (tMult - 1) + 1) / log(tMult)).rounded(.towardZero)
                let grown = power(tMult, n)
                state.restartCurrent = epoch - t0 * (grown - 1) / (tMult - 1)
                state.restartPeriod = t0 * grown
            }
        } else {
            state.restartPeriod = t0
            state.restartCurrent = epoch
        }
        return rate(state, h)
    }

    /// In a chain the lr is absolute, as PyTorch's step() sets it from the base lr.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        if state.steps == 0 {
            state.restartCurrent = 0
            state.restartPeriod = h[Key.t0]
        } else {
            state.restartCurrent += 1
            if state.restartCurrent >= state.restartPeriod {
                state.restartCurrent = fmod(state.restartCurrent, state.restartPeriod)
                state.restartPeriod *= h[Key.tMult]
            }
        }
        return rate(state, h)
    }
}
