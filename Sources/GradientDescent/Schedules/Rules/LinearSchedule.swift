/// torch.optim.lr_scheduler.LinearLR (linear warm-up), closed form:
/// lr · (start_factor + (end_factor − start_factor) · min(e, total_iters) / total_iters).
struct LinearSchedule: ClosedFormSchedule {
    enum Key: Int, CaseIterable { case startFactor, endFactor, totalIters }

    var name: String { "linear" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("start_factor", 1.0 / 3, .openClosedUnitInterval),
         Hyperparameter("end_factor", 1, .closedUnitInterval),
         Hyperparameter("total_iters", 5, .positiveInteger)]
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        linearWarmup(step: step, base: base, startFactor: h[Key.startFactor],
                     endFactor: h[Key.endFactor], totalIters: h[Key.totalIters])
    }
}

/// The LinearLR closed form, in PyTorch's order of operations.
func linearWarmup(step: UInt64, base: Double, startFactor: Double, endFactor: Double,
                  totalIters: Double) -> Double {
    base * (startFactor + (endFactor - startFactor) * min(totalIters, Double(step)) / totalIters)
}

extension LinearSchedule: ChainableSchedule {
    /// LinearLR.get_lr: lr·start_factor at step 0, then the ratio of consecutive factors.
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        let start = h[Key.startFactor], end = h[Key.endFactor], total = h[Key.totalIters]
        if state.steps == 0 { return current * start }
        let e = Double(state.steps)
        if e > total { return current }
        return current * (1.0 + (end - start) / (total * start + (e - 1) * (end - start)))
    }
}
