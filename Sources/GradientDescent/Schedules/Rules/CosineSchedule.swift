#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// torch.optim.lr_scheduler.CosineAnnealingLR, closed form:
/// η_min + (lr − η_min) · (1 + cos(π · e / t_max)) / 2. Past t_max the closed form rises
/// again (period 2 · t_max), as PyTorch's does. t_max has no default.
struct CosineSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case tMax, etaMin }

    var name: String { "cosine" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("t_max", 0, .positiveInteger),
         Hyperparameter("eta_min", 0, .nonNegative)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.tMax.rawValue)
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        cosineAnnealing(step: step, base: base, tMax: h[Key.tMax], etaMin: h[Key.etaMin])
    }
}

/// The cosine closed form, in PyTorch's order of operations.
func cosineAnnealing(step: UInt64, base: Double, tMax: Double, etaMin: Double) -> Double {
    etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(step) / tMax)) / 2
}

extension CosineSchedule: ChainableSchedule {
    /// CosineAnnealingLR.get_lr: the ratio of consecutive cosine factors applied to lr − eta_min,
    /// and at the bottom of each period the step up from the base lr.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        if state.steps == 0 { return current }
        let tMax = h[Key.tMax], etaMin = h[Key.etaMin], base = state.baseLearningRate
        let e = Double(state.steps)
        let period = Int64(tMax)
        if pythonModulo(Int64(state.steps) - 1 - period, 2 * period) == 0 {
            return current + (base - etaMin) * (1 - cos(Double.pi / tMax)) / 2
        }
        return (1 + cos(Double.pi * e / tMax)) / (1 + cos(Double.pi * (e - 1) / tMax)) * (current - etaMin) + etaMin
    }
}
