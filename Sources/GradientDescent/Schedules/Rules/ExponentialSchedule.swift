/// torch.optim.lr_scheduler.ExponentialLR: lr · gamma^e. gamma has no default (0 means
/// unset) and must be > 0 when set. An lr beyond the largest double saturates (`scaledRate`).
struct ExponentialSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case gamma }

    var name: String { "exponential" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("gamma", 0, .positive)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.gamma.rawValue)
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        scaledRate(base, by: power(h[Key.gamma], Double(step)))
    }
}

extension ExponentialSchedule: ChainableSchedule {
    /// ExponentialLR.get_lr: lr unchanged at the start, then lr·gamma per step.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        state.steps == 0 ? current : current * h[Key.gamma]
    }
}
