import _GradientDescentKernels

/// torch.optim.NAdam (single-tensor path), L2 or decoupled weight decay.
///
///     g = maximize ? -grad : grad
///     decoupled_weight_decay: x = x * (1 - lr * weight_decay)   else: g = g + weight_decay * x
///     mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)); mu_{t+1} likewise
///     mu_product = mu_product * mu_t            (kept as state, starts at 1)
///     m = m.lerp(g, 1 - beta1);  v = v * beta2 + (1 - beta2) * g * g
///     denom = sqrt(v / (1 - beta2^t)) + eps
///     x = x + (-lr * (1 - mu_t) / (1 - mu_product)) * g / denom
///     x = x + (-lr * mu_{t+1} / (1 - mu_product * mu_{t+1})) * m / denom
struct NAdamRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, beta1, beta2, eps, weightDecay, momentumDecay, maximize, decoupledWeightDecay
    }

    private enum Buffer: Int { case expAvg, expAvgSq }
    private enum Scalar: Int { case muProduct }

    var name: String { "nadam" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 2e-3, .nonNegative)
            case .beta1: Hyperparameter("beta1", 0.9, .halfOpenUnitInterval)
            case .beta2: Hyperparameter("beta2", 0.999, .halfOpenUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .momentumDecay: Hyperparameter("momentum_decay", 4e-3, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            case .decoupledWeightDecay: Hyperparameter("decoupled_weight_decay", 0, .boolean)
            }
        }
    }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["exp_avg", "exp_avg_sq"], scalars: [("mu_product", 1)])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let t = Double(state.stepCount)
        let lr = h[Key.lr], beta1 = h[Key.beta1], beta2 = h[Key.beta2]
        let momentumDecay = h[Key.momentumDecay]
        let weightDecay = h[Key.weightDecay]
        let decoupled = h.flag(Key.decoupledWeightDecay) && weightDecay != 0
        let biasCorrection2 = biasCorrection(beta2, t)
        let mu = beta1 * (1.0 - 0.5 * power(0.96, t * momentumDecay))
        let muNext = beta1 * (1.0 - 0.5 * power(0.96, (t + 1) * momentumDecay))
        let muProduct = state[scalar: Scalar.muProduct.rawValue] * mu
        state[scalar: Scalar.muProduct.rawValue] = muProduct
        let muProductNext = muProduct * muNext
        KernelDispatch.kernels.nadam(NAdamStep(
            x: x, gradient: gradient,
            expAvg: state[buffer: Buffer.expAvg.rawValue],
            expAvgSq: state[buffer: Buffer.expAvgSq.rawValue],
            count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: decoupled ? 0 : weightDecay),
            weightDecay: weightDecay,
            decayFactor: decoupled ? 1 - lr * weightDecay : 1,
            firstMomentWeight: 1 - beta1,
            beta2: beta2, oneMinusBeta2: 1 - beta2,
            biasCorrection2: biasCorrection2, eps: h[Key.eps],
            gradientCoefficient: -lr * (1.0 - mu) / (1.0 - muProduct),
            momentCoefficient: -lr * muNext / (1.0 - muProductNext)))
    }
}
