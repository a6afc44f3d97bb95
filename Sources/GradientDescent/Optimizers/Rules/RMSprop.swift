import _GradientDescentKernels

/// torch.optim.RMSprop (single-tensor path): centered, momentum, weight_decay, maximize.
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     v = v * alpha + (1 - alpha) * g * g
///     centered: g_avg = g_avg.lerp(g, 1 - alpha); avg = sqrt(v - g_avg * g_avg) + eps
///     else:     avg = sqrt(v) + eps
///     momentum > 0: buf = buf * momentum + g / avg; x = x + (-lr) * buf
///     else:         x = x + (-lr) * g / avg
struct RMSpropRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, alpha, eps, weightDecay, momentum, centered, maximize
    }

    private enum Buffer: Int { case squareAvg, gradAvg, momentumBuffer }

    var name: String { "rmsprop" }

    // PyTorch only requires alpha >= 0; alpha > 1 makes (1 - alpha) * g^2 negative and the
    // first step NaN, so it is rejected here.
    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-2, .nonNegative)
            case .alpha: Hyperparameter("alpha", 0.99, .closedUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .momentum: Hyperparameter("momentum", 0, .nonNegative)
            case .centered: Hyperparameter("centered", 0, .boolean)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["square_avg", "grad_avg", "momentum_buffer"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let alpha = h[Key.alpha]
        KernelDispatch.kernels.rmsprop(RMSpropStep(
            x: x, gradient: gradient,
            squareAvg: state[buffer: Buffer.squareAvg.rawValue],
            gradAvg: state[buffer: Buffer.gradAvg.rawValue],
            momentumBuffer: state[buffer: Buffer.momentumBuffer.rawValue],
            count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            weightDecay: h[Key.weightDecay],
            alpha: alpha, oneMinusAlpha: 1 - alpha,
            gradAvgWeight: 1 - alpha,
            eps: h[Key.eps],
            momentum: h[Key.momentum],
            negativeLR: -h[Key.lr],
            centered: h.flag(Key.centered)))
    }
}
