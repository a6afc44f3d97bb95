import _GradientDescentKernels

/// torch.optim.Adam and torch.optim.AdamW (single-tensor path), amsgrad, maximize and Adam's
/// decoupled_weight_decay (which makes it AdamW) included.
///
///     g = maximize ? -grad : grad
///     adam:  g = g + weight_decay * x          adamw: x = x * (1 - lr * weight_decay)
///     m = m.lerp(g, 1 - beta1);  v = v * beta2 + (1 - beta2) * g * g
///     amsgrad: v_max = max(v_max, v), used below in place of v
///     denom = sqrt(v) / sqrt(1 - beta2^t) + eps
///     x = x + (-lr / (1 - beta1^t)) * m / denom
struct AdamRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay
    }

    private enum Buffer: Int { case expAvg, expAvgSq, maxExpAvgSq }

    /// AdamW: weight decay shrinks x instead of adding to the gradient.
    let decoupled: Bool

    var name: String { decoupled ? "adamw" : "adam" }

    // AdamW has no decoupled_weight_decay key (PyTorch's AdamW takes none): it is always on.
    var hyperparameters: [Hyperparameter] {
        Key.allCases.filter { !(decoupled && $0 == .decoupledWeightDecay) }.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-3, .nonNegative)
            case .beta1: Hyperparameter("beta1", 0.9, .halfOpenUnitInterval)
            case .beta2: Hyperparameter("beta2", 0.999, .halfOpenUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", decoupled ? 1e-2 : 0, .nonNegative)
            case .amsgrad: Hyperparameter("amsgrad", 0, .boolean)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            case .decoupledWeightDecay: Hyperparameter("decoupled_weight_decay", 0, .boolean)
            }
        }
    }

    // max_exp_avg_sq exists even while amsgrad is 0, so that turning it on never allocates.
    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let t = Double(state.stepCount)
        let lr = h[Key.lr], beta1 = h[Key.beta1], beta2 = h[Key.beta2]
        let weightDecay = h[Key.weightDecay]
        let decoupled = self.decoupled || h.flag(Key.decoupledWeightDecay)
        let biasCorrection1 = biasCorrection(beta1, t)
        let biasCorrection2 = biasCorrection(beta2, t)
        KernelDispatch.kernels.adam(AdamStep(
            x: x, gradient: gradient,
            expAvg: state[buffer: Buffer.expAvg.rawValue],
            expAvgSq: state[buffer: Buffer.expAvgSq.rawValue],
            maxExpAvgSq: state[buffer: Buffer.maxExpAvgSq.rawValue],
            count: count,
            // AdamW never adds weight decay to the gradient.
            transform: GradientTransformKind(maximize: h.flag(Key.maximize),
                                             weightDecay: decoupled ? 0 : weightDecay),
            weightDecay: weightDecay,
            decayFactor: 1 - lr * weightDecay,
            firstMomentWeight: 1 - beta1,
            beta2: beta2, oneMinusBeta2: 1 - beta2,
            biasCorrection2Sqrt: squareRootOfBiasCorrection(biasCorrection2),
            eps: h[Key.eps],
            negativeStepSize: -(lr / biasCorrection1),
            amsgrad: h.flag(Key.amsgrad),
            decoupledDecay: decoupled && weightDecay != 0))
    }
}
