import _GradientDescentKernels

/// torch.optim.Adagrad (single-tensor path, dense gradients).
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     clr = lr / (1 + (t - 1) * lr_decay)
///     sum = sum + g * g            (sum starts at initial_accumulator_value)
///     x = x + (-clr) * g / (sqrt(sum) + eps)
struct AdagradRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize
    }

    private enum Buffer: Int { case sum }

    var name: String { "adagrad" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-2, .nonNegative)
            case .lrDecay: Hyperparameter("lr_decay", 0, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .initialAccumulatorValue: Hyperparameter("initial_accumulator_value", 0, .nonNegative)
            case .eps: Hyperparameter("eps", 1e-10, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["sum"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let sum = state[buffer: Buffer.sum.rawValue]
        // PyTorch fills the accumulator when the optimizer is built; here hyper-parameters are
        // set after creation, so the fill happens at the first step (and again after reset).
        if state.stepCount == 1 {
            sum.update(repeating: h[Key.initialAccumulatorValue], count: count)
        }
        let t = Double(state.stepCount)
        let clr = h[Key.lr] / (1 + (t - 1) * h[Key.lrDecay])
        KernelDispatch.kernels.adagrad(AdagradStep(
            x: x, gradient: gradient, sum: sum, count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            weightDecay: h[Key.weightDecay], eps: h[Key.eps], negativeCLR: -clr))
    }
}
