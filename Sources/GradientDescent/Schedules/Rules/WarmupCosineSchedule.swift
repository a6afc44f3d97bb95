/// Linear warm-up then cosine annealing: PyTorch's
/// SequentialLR([LinearLR(start_factor, 1, warmup_steps), CosineAnnealingLR(t_max, eta_min)],
/// milestones=[warmup_steps]), each part by its closed form. For e < warmup_steps the lr is
/// lr · (start_factor + (1 − start_factor) · e / warmup_steps); from then on it is the cosine
/// of e − warmup_steps over t_max steps. warmup_steps and t_max have no default.
struct WarmupCosineSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case warmupSteps, startFactor, tMax, etaMin }

    var name: String { "warmup_cosine" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("warmup_steps", 0, .positiveInteger),
         Hyperparameter("start_factor", 1.0 / 3, .openClosedUnitInterval),
         Hyperparameter("t_max", 0, .positiveInteger),
         Hyperparameter("eta_min", 0, .nonNegative)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.warmupSteps.rawValue)
        try requireSet(h, Key.tMax.rawValue)
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        let warmup = UInt64(h[Key.warmupSteps])
        if step < warmup {
            return linearWarmup(step: step, base: base, startFactor: h[Key.startFactor],
                                endFactor: 1, totalIters: h[Key.warmupSteps])
        }
        return cosineAnnealing(step: step - warmup, base: base, tMax: h[Key.tMax], etaMin: h[Key.etaMin])
    }
}
