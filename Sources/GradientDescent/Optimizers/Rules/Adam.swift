/// torch.optim.Adam and torch.optim.AdamW (single-tensor path), amsgrad and maximize included.
///
///     g = maximize ? -grad : grad
///     adam:  g = g + weight_decay * x          adamw: x = x * (1 - lr * weight_decay)
///     m = m.lerp(g, 1 - beta1);  v = v * beta2 + (1 - beta2) * g * g
///     amsgrad: v_max = max(v_max, v), used below in place of v
///     denom = sqrt(v) / sqrt(1 - beta2^t) + eps
///     x = x + (-lr / (1 - beta1^t)) * m / denom
struct Adam: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, beta1, beta2, eps, weightDecay, amsgrad, maximize
    }

    private enum Buffer: Int { case expAvg, expAvgSq, maxExpAvgSq }

    /// AdamW: weight decay shrinks x instead of adding to the gradient.
    let decoupled: Bool

    var name: String { decoupled ? "adamw" : "adam" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-3, .nonNegative)
            case .beta1: Hyperparameter("beta1", 0.9, .halfOpenUnitInterval)
            case .beta2: Hyperparameter("beta2", 0.999, .halfOpenUnitInterval)
            case .eps: Hyperparameter("eps", 1e-8, .nonNegative)
            case .weightDecay: Hyperparameter("weight_decay", decoupled ? 1e-2 : 0, .nonNegative)
            case .amsgrad: Hyperparameter("amsgrad", 0, .boolean)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
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
        let biasCorrection1 = 1 - power(beta1, t)
        let biasCorrection2 = 1 - power(beta2, t)
        let step = Step(
            x: x, gradient: gradient,
            expAvg: state[buffer: Buffer.expAvg.rawValue],
            expAvgSq: state[buffer: Buffer.expAvgSq.rawValue],
            maxExpAvgSq: state[buffer: Buffer.maxExpAvgSq.rawValue],
            count: count,
            weightDecay: weightDecay,
            decayFactor: 1 - lr * weightDecay,
            firstMomentWeight: LerpWeight(1 - beta1),
            beta2: beta2, oneMinusBeta2: 1 - beta2,
            biasCorrection2Sqrt: power(biasCorrection2, 0.5),
            eps: h[Key.eps],
            negativeStepSize: -(lr / biasCorrection1),
            amsgrad: h.flag(Key.amsgrad),
            decoupledDecay: decoupled && weightDecay != 0)
        // AdamW never adds weight decay to the gradient.
        let kind = GradientTransformKind(maximize: h.flag(Key.maximize),
                                         weightDecay: decoupled ? 0 : weightDecay)
        switch kind {
        case .plain: step.run(PlainGradient.self)
        case .negated: step.run(NegatedGradient.self)
        case .decayed: step.run(DecayedGradient.self)
        case .negatedDecayed: step.run(NegatedDecayedGradient.self)
        }
    }

    private struct Step {
        let x: UnsafeMutablePointer<Double>
        let gradient: UnsafePointer<Double>
        let expAvg: UnsafeMutablePointer<Double>
        let expAvgSq: UnsafeMutablePointer<Double>
        let maxExpAvgSq: UnsafeMutablePointer<Double>
        let count: Int
        let weightDecay: Double
        let decayFactor: Double  // 1 - lr * weight_decay (AdamW)
        let firstMomentWeight: LerpWeight
        let beta2: Double
        let oneMinusBeta2: Double
        let biasCorrection2Sqrt: Double
        let eps: Double
        let negativeStepSize: Double
        let amsgrad: Bool
        let decoupledDecay: Bool

        func run<G: GradientTransform>(_: G.Type) {
            if firstMomentWeight.isSmall {
                run(G.self, SmallWeightLerp.self)
            } else {
                run(G.self, LargeWeightLerp.self)
            }
        }

        private func run<G: GradientTransform, L: LerpForm>(_: G.Type, _: L.Type) {
            switch (amsgrad, decoupledDecay) {
            case (false, false): kernel(G.self, L.self, FlagOff.self, FlagOff.self)
            case (true, false): kernel(G.self, L.self, FlagOn.self, FlagOff.self)
            case (false, true): kernel(G.self, L.self, FlagOff.self, FlagOn.self)
            case (true, true): kernel(G.self, L.self, FlagOn.self, FlagOn.self)
            }
        }

        private func kernel<G: GradientTransform, L: LerpForm, AMSGrad: StaticFlag, Decoupled: StaticFlag>(
            _: G.Type, _: L.Type, _: AMSGrad.Type, _: Decoupled.Type
        ) {
            let x = x, gradient = gradient
            let expAvg = expAvg, expAvgSq = expAvgSq, maxExpAvgSq = maxExpAvgSq
            let weightDecay = weightDecay, decayFactor = decayFactor
            let firstMomentWeight = firstMomentWeight
            let beta2 = beta2, oneMinusBeta2 = oneMinusBeta2
            let biasCorrection2Sqrt = biasCorrection2Sqrt, eps = eps
            let negativeStepSize = negativeStepSize
            for i in 0..<count {
                var xi = x[i]
                if Decoupled.isOn { xi = xi * decayFactor }
                let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
                let m = L.lerp(expAvg[i], g, firstMomentWeight)
                expAvg[i] = m
                let v = expAvgSq[i] * beta2 + oneMinusBeta2 * g * g
                expAvgSq[i] = v
                var second = v
                if AMSGrad.isOn {
                    let previous = maxExpAvgSq[i]
                    second = previous >= v ? previous : v  // a NaN in v propagates, as torch.maximum
                    maxExpAvgSq[i] = second
                }
                let denominator = second.squareRoot() / biasCorrection2Sqrt + eps
                x[i] = xi + negativeStepSize * m / denominator
            }
        }
    }
}
