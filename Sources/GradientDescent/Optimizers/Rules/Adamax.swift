import _GradientDescentKernels

/// torch.optim.Adamax (single-tensor path).
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     m = m.lerp(g, 1 - beta1)
///     u = max(u * beta2, |g| + eps)
///     x = x + (-lr / (1 - beta1^t)) * m / u
struct AdamaxRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, beta1, beta2, eps, weightDecay, maximize
    }

    private enum Buffer: Int { case expAvg, expInf }

    var name: String { "adamax" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 2e-3, .nonNegative)
            case .beta1: Hyperparameter("beta1", 0.9, .halfOpenUnitInterval)
            case .beta2: Hyperparameter("beta2", 0.999, .halfOpenUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["exp_avg", "exp_inf"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let t = Double(state.stepCount)
        let clr = h[Key.lr] / biasCorrection(h[Key.beta1], t)
        KernelDispatch.kernels.adamax(AdamaxStep(
            x: x, gradient: gradient,
            expAvg: state[buffer: Buffer.expAvg.rawValue],
            expInf: state[buffer: Buffer.expInf.rawValue],
            count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            weightDecay: h[Key.weightDecay],
            firstMomentWeight: 1 - h[Key.beta1],
            beta2: h[Key.beta2], eps: h[Key.eps], negativeCLR: -clr))
    }
}
