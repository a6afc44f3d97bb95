/// torch.optim.lr_scheduler.StepLR: lr · gamma^⌊e / step_size⌋. step_size has no default.
/// An lr beyond the largest double saturates (`scaledRate`).
struct StepSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case stepSize, gamma }

    var name: String { "step" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("step_size", 0, .positiveInteger),
         Hyperparameter("gamma", 0.1, .nonNegative)]
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        try requireSet(h, Key.stepSize.rawValue)
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        scaledRate(base, by: power(h[Key.gamma], Double(step / UInt64(h[Key.stepSize]))))
    }
}

extension StepSchedule: ChainableSchedule {
    /// StepLR.get_lr: lr·gamma at every multiple of step_size after 0.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        if state.steps == 0 || state.steps % UInt64(h[Key.stepSize]) != 0 { return current }
        return current * h[Key.gamma]
    }
}
