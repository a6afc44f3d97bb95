/// torch.optim.lr_scheduler.CyclicLR: the lr moves between base_lr and max_lr in cycles of
/// step_size_up steps up and step_size_down (0: as many as up) down, the amplitude scaled by
/// mode: 0 triangular (1), 1 triangular2 (halved every cycle), 2 exp_range (gamma^e). With
/// cycle_momentum the momentum (or beta1) moves the other way between max_momentum and
/// base_momentum. The optimizer's lr is not used: the schedule starts at base_lr, as PyTorch's
/// sets the group's lr. base_lr and max_lr have no default (0 means unset).
struct CyclicSchedule: StepFunctionSchedule {
    enum Key: Int, CaseIterable {
        case baseLR, maxLR, stepSizeUp, stepSizeDown, mode, gamma, cycleMomentum, baseMomentum, maxMomentum
    }

    var name: String { "cyclic" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("base_lr", 0, .nonNegative),
         Hyperparameter("max_lr", 0, .nonNegative),
         Hyperparameter("step_size_up", 2000, .positiveInteger),
         Hyperparameter("step_size_down", 0, .nonNegativeInteger),
         Hyperparameter("mode", 0, .nonNegativeInteger),
         Hyperparameter("gamma", 1, .nonNegative),
         Hyperparameter("cycle_momentum", 1, .boolean),
         Hyperparameter("base_momentum", 0.8, .nonNegative),
         Hyperparameter("max_momentum", 0.9, .nonNegative)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.baseLR.rawValue)
        try requireSet(h, Key.maxLR.rawValue)
        if h[Key.mode] > 2 {
            throw GradientDescentError(.invalidArgument,
                "cyclic schedule's mode must be 0 (triangular), 1 (triangular2) or 2 (exp_range), got \(h[Key.mode])")
        }
    }

    /// get_lr at step e: the lr, and the momentum when cycling (else NaN).
    func values(at e: UInt64, _ h: Hyperparameters) -> (lr: Double, momentum: Double) {
        let up = h[Key.stepSizeUp]
        let down = h[Key.stepSizeDown] == 0 ? up : h[Key.stepSizeDown]
        let totalSize = up + down
        let stepRatio = up / totalSize
        let step = Double(e)
        let cycle = (1 + step / totalSize).rounded(.down)
        let x = 1.0 + step / totalSize - cycle
        let scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let scale: Double
        switch h[Key.mode] {
        case 0: scale = 1.0
        case 1: scale = 1 / power(2.0, cycle - 1)
        default: scale = power(h[Key.gamma], step)
        }
        let baseLR = h[Key.baseLR], maxLR = h[Key.maxLR]
        let lr = baseLR + (maxLR - baseLR) * scaleFactor * scale
        guard h.flag(Key.cycleMomentum) else { return (lr, Double.nan) }
        let baseMomentum = h[Key.baseMomentum], maxMomentum = h[Key.maxMomentum]
        let momentum = maxMomentum - (maxMomentum - baseMomentum) * scaleFactor * scale
        return (lr, momentum)
    }
}
