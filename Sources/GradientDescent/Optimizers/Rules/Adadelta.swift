import _GradientDescentKernels

/// torch.optim.Adadelta (single-tensor path).
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     v = v * rho + (1 - rho) * g * g
///     delta = sqrt(u + eps) / sqrt(v + eps) * g
///     u = u * rho + (1 - rho) * delta * delta
///     x = x + (-lr) * delta
struct AdadeltaRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, rho, eps, weightDecay, maximize
    }

    private enum Buffer: Int { case squareAvg, accDelta }

    var name: String { "adadelta" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1.0, .nonNegative)
            case .rho: Hyperparameter("rho", 0.9, .closedUnitInterval)
            case .eps: Hyperparameter("eps", 1e-6, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["square_avg", "acc_delta"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let rho = h[Key.rho]
        KernelDispatch.kernels.adadelta(AdadeltaStep(
            x: x, gradient: gradient,
            squareAvg: state[buffer: Buffer.squareAvg.rawValue],
            accDelta: state[buffer: Buffer.accDelta.rawValue],
            count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            weightDecay: h[Key.weightDecay],
            rho: rho, oneMinusRho: 1 - rho, eps: h[Key.eps], negativeLR: -h[Key.lr]))
    }
}
