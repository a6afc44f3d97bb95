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
