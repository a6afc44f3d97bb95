/// torch.optim.lr_scheduler.PolynomialLR: lr · (1 − min(e, total_iters) / total_iters)^power.
struct PolynomialSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case totalIters, power }

    var name: String { "polynomial" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("total_iters", 5, .positiveInteger),
         Hyperparameter("power", 1, .nonNegative)]
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        let total = h[Key.totalIters]
        return base * power(1.0 - min(total, Double(step)) / total, h[Key.power])
    }
}

extension PolynomialSchedule: ChainableSchedule {
    /// PolynomialLR.get_lr: the ratio of consecutive factors, raised to power.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        let total = h[Key.totalIters], e = Double(state.steps)
        if state.steps == 0 || e > total { return current }
        let factor = power((1.0 - e / total) / (1.0 - (e - 1) / total), h[Key.power])
        return current * factor
    }
}
