/// torch.optim.lr_scheduler.ConstantLR: lr · (factor + (e >= total_iters) · (1 − factor)).
/// The defaults (factor 1, total_iters 0) keep the lr constant; PyTorch's own defaults are
/// factor 1/3, total_iters 5.
struct ConstantSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case factor, totalIters }

    var name: String { "constant" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("factor", 1, .openClosedUnitInterval),
         Hyperparameter("total_iters", 0, .nonNegativeInteger)]
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        let factor = h[Key.factor]
        let reached = Double(step) >= h[Key.totalIters] ? 1.0 : 0.0
        return base * (factor + reached * (1 - factor))
    }
}

extension ConstantSchedule: ChainableSchedule {
    /// ConstantLR.get_lr: lr·factor at step 0, lr/factor (as lr·(1/factor)) at total_iters.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        if state.steps == 0 { return current * h[Key.factor] }
        if Double(state.steps) != h[Key.totalIters] { return current }
        return current * (1.0 / h[Key.factor])
    }
}
