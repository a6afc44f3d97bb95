/// torch.optim.lr_scheduler.ReduceLROnPlateau, step for step:
///
///     better = mode min: loss < best·(1 − threshold) (rel) or loss < best − threshold (abs)
///              mode max: loss > best·(1 + threshold) (rel) or loss > best + threshold (abs)
///     if better: best = loss, bad = 0 else bad += 1
///     if cooldown_counter > 0: cooldown_counter −= 1, bad = 0
///     if bad > patience: new = max(lr·factor, min_lr); if lr − new > eps: lr = new
///                        cooldown_counter = cooldown, bad = 0
///
/// mode is 0 (min) or 1 (max); threshold_mode is 0 (rel) or 1 (abs). A NaN loss is never
/// better, so it counts as a bad step.
struct PlateauSchedule: ScheduleRule {
    enum Key: Int, CaseIterable {
        case mode, factor, patience, threshold, thresholdMode, cooldown, minLR, eps
    }

    var name: String { "plateau" }

    var hyperparameters: [Hyperparameter] {
        [Hyperparameter("mode", 0, .boolean),
         Hyperparameter("factor", 0.1, .halfOpenUnitInterval),
         Hyperparameter("patience", 10, .nonNegativeInteger),
         Hyperparameter("threshold", 1e-4, .nonNegative),
         Hyperparameter("threshold_mode", 0, .boolean),
         Hyperparameter("cooldown", 0, .nonNegativeInteger),
         Hyperparameter("min_lr", 0, .nonNegative),
         Hyperparameter("eps", 1e-8, .nonNegative)]
    }

    func start(_ state: inout ScheduleState, hyperparameters h: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        state.best = h.flag(Key.mode) ? -.infinity : .infinity
        state.badSteps = 0
        state.cooldownCounter = 0
        return state.baseLearningRate
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters h: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        if isBetter(loss, than: state.best, h) {
            state.best = loss
            state.badSteps = 0
        } else {
            state.badSteps.countOne()
        }
        if state.cooldownCounter > 0 {
            state.cooldownCounter -= 1
            state.badSteps = 0
        }
        var lr = state.learningRate
        if Double(state.badSteps) > h[Key.patience] {
            let reduced = max(lr * h[Key.factor], h[Key.minLR])
            if lr - reduced > h[Key.eps] {
                lr = reduced
            }
            state.cooldownCounter = UInt64(h[Key.cooldown])
            state.badSteps = 0
        }
        return lr
    }

    private func isBetter(_ a: Double, than best: Double, _ h: Hyperparameters) -> Bool {
        let threshold = h[Key.threshold]
        switch (h.flag(Key.mode), h.flag(Key.thresholdMode)) {
        case (false, false): return a < best * (1.0 - threshold)
        case (false, true): return a < best - threshold
        case (true, false): return a > best * (threshold + 1.0)
        case (true, true): return a > best + threshold
        }
    }
}
