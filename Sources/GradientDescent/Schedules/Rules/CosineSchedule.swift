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
