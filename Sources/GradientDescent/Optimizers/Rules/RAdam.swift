import _GradientDescentKernels

/// torch.optim.RAdam (single-tensor path), L2 or decoupled weight decay.
///
///     g = maximize ? -grad : grad
///     decoupled_weight_decay: x = x * (1 - lr * weight_decay)   else: g = g + weight_decay * x
///     m = m.lerp(g, 1 - beta1);  v = v * beta2 + (1 - beta2) * g * g
///     rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
///     rho_t > 5: x = x - m / (1 - beta1^t) * lr * (sqrt(1 - beta2^t) / (sqrt(v) + eps)) * rect
///                rect = ((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))^0.5
///     else:      x = x - m / (1 - beta1^t) * lr
struct RAdamRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, beta1, beta2, eps, weightDecay, maximize, decoupledWeightDecay
    }

    private enum Buffer: Int { case expAvg, expAvgSq }

    /// PyTorch's threshold on rho_t above which the variance is rectified.
    static let rectificationThreshold = 5.0

    var name: String { "radam" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-3, .nonNegative)
            case .beta1: Hyperparameter("beta1", 0.9, .halfOpenUnitInterval)
            case .beta2: Hyperparameter("beta2", 0.999, .halfOpenUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            case .decoupledWeightDecay: Hyperparameter("decoupled_weight_decay", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["exp_avg", "exp_avg_sq"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let t = Double(state.stepCount)
        let beta1 = h[Key.beta1], beta2 = h[Key.beta2]
        let weightDecay = h[Key.weightDecay]
        let decoupled = h.flag(Key.decoupledWeightDecay) && weightDecay != 0
        let beta2PowerT = power(beta2, t)
        let biasCorrection1 = biasCorrection(beta1, t)
        let biasCorrection2 = 1 - beta2PowerT
        let rhoInf = 2 / (1 - beta2) - 1
        let rhoT = rhoInf - 2 * t * beta2PowerT / biasCorrection2
        let rectified = rhoT > RAdamRule.rectificationThreshold
        let rect = rectified
            ? power((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5)
            : 0
        KernelDispatch.kernels.radam(RAdamStep(
            x: x, gradient: gradient,
            expAvg: state[buffer: Buffer.expAvg.rawValue],
            expAvgSq: state[buffer: Buffer.expAvgSq.rawValue],
            count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: decoupled ? 0 : weightDecay),
            weightDecay: weightDecay,
            decayFactor: decoupled ? 1 - h[Key.lr] * weightDecay : 1,
            firstMomentWeight: 1 - beta1,
            beta2: beta2, oneMinusBeta2: 1 - beta2,
            biasCorrection1: biasCorrection1,
            biasCorrection2Sqrt: power(biasCorrection2, 0.5),
            lr: h[Key.lr], eps: h[Key.eps], rect: rect, rectified: rectified))
    }
}
