import _GradientDescentKernels

/// torch.optim.Rprop (single-tensor path), maximize included.
///
///     g = maximize ? -grad : grad
///     first step: step_size = lr everywhere (lr is read only then, as in PyTorch)
///     s = sign(g * prev) -> etaplus (> 0), etaminus (< 0), 1 (0)
///     step_size = clamp(step_size * s, step_size_min, step_size_max)
///     g = 0 where s = etaminus
///     x = x - sign(g) * step_size;  prev = g
struct RpropRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, etaminus, etaplus, stepSizeMin, stepSizeMax, maximize
    }

    private enum Buffer: Int { case previous, stepSize }

    var name: String { "rprop" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-2, .nonNegative)
            case .etaminus: Hyperparameter("etaminus", 0.5, .openUnitInterval)
            case .etaplus: Hyperparameter("etaplus", 1.2, .greaterThanOne)
            case .stepSizeMin: Hyperparameter("step_size_min", 1e-6, .nonNegative)
            case .stepSizeMax: Hyperparameter("step_size_max", 50, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["prev", "step_size"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let stepSize = state[buffer: Buffer.stepSize.rawValue]
        if state.stepCount == 1 {
            stepSize.update(repeating: h[Key.lr], count: count)
        }
        KernelDispatch.kernels.rprop(RpropStep(
            x: x, gradient: gradient,
            previous: state[buffer: Buffer.previous.rawValue], stepSize: stepSize,
            count: count, maximize: h.flag(Key.maximize),
            etaminus: h[Key.etaminus], etaplus: h[Key.etaplus],
            stepSizeMin: h[Key.stepSizeMin], stepSizeMax: h[Key.stepSizeMax]))
    }
}
