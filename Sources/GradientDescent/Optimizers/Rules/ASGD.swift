import _GradientDescentKernels

/// torch.optim.ASGD (single-tensor path), weight_decay and maximize included.
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     x = x * (1 - lambd * eta);  x = x + (-eta) * g
///     ax = mu != 1 ? ax + (x - ax) * mu : x
///     eta = lr / (1 + lambd * lr * t)^alpha;  mu = 1 / max(1, t - t0)
///
/// eta and mu are scalars of the state, read before they are updated: eta starts at the lr
/// of the first step and mu at 1, as PyTorch creates them.
struct ASGDRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, lambd, alpha, t0, weightDecay, maximize
    }

    private enum Buffer: Int { case average }
    private enum Scalar: Int { case eta, mu }

    var name: String { "asgd" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-2, .nonNegative)
            case .lambd: Hyperparameter("lambd", 1e-4, .finite)
            case .alpha: Hyperparameter("alpha", 0.75, .finite)
            case .t0: Hyperparameter("t0", 1e6, .finite)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["ax"], scalars: [("eta", 0), ("mu", 1)])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let lr = h[Key.lr], lambd = h[Key.lambd]
        if state.stepCount == 1 {
            state[scalar: Scalar.eta.rawValue] = lr
            state[scalar: Scalar.mu.rawValue] = 1
        }
        let eta = state[scalar: Scalar.eta.rawValue]
        let mu = state[scalar: Scalar.mu.rawValue]
        KernelDispatch.kernels.asgd(ASGDStep(
            x: x, gradient: gradient, average: state[buffer: Buffer.average.rawValue], count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            weightDecay: h[Key.weightDecay], decayFactor: 1 - lambd * eta, negativeEta: -eta, mu: mu))
        let t = Double(state.stepCount)
        state[scalar: Scalar.eta.rawValue] = lr / power(1 + lambd * lr * t, h[Key.alpha])
        let excess = t - h[Key.t0]
        state[scalar: Scalar.mu.rawValue] = 1 / (excess > 1 ? excess : 1)
    }
}
