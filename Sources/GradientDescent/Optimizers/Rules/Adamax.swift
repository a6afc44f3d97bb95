/// torch.optim.Adamax (single-tensor path).
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     m = m.lerp(g, 1 - beta1)
///     u = max(u * beta2, |g| + eps)
///     x = x + (-lr / (1 - beta1^t)) * m / u
struct Adamax: UpdateRule {
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
        let clr = h[Key.lr] / (1 - power(h[Key.beta1], t))
        let step = Step(x: x, gradient: gradient,
                        expAvg: state[buffer: Buffer.expAvg.rawValue],
                        expInf: state[buffer: Buffer.expInf.rawValue],
                        count: count, weightDecay: h[Key.weightDecay],
                        firstMomentWeight: LerpWeight(1 - h[Key.beta1]),
                        beta2: h[Key.beta2], eps: h[Key.eps], negativeCLR: -clr)
        switch GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]) {
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
        let expInf: UnsafeMutablePointer<Double>
        let count: Int
        let weightDecay: Double
        let firstMomentWeight: LerpWeight
        let beta2: Double
        let eps: Double
        let negativeCLR: Double

        func run<G: GradientTransform>(_: G.Type) {
            if firstMomentWeight.isSmall {
                kernel(G.self, SmallWeightLerp.self)
            } else {
                kernel(G.self, LargeWeightLerp.self)
            }
        }

        private func kernel<G: GradientTransform, L: LerpForm>(_: G.Type, _: L.Type) {
            let x = x, gradient = gradient, expAvg = expAvg, expInf = expInf
            let weightDecay = weightDecay, firstMomentWeight = firstMomentWeight
            let beta2 = beta2, eps = eps, negativeCLR = negativeCLR
            for i in 0..<count {
                let xi = x[i]
                let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
                let m = L.lerp(expAvg[i], g, firstMomentWeight)
                expAvg[i] = m
                let decayed = expInf[i] * beta2
                let current = g.magnitude + eps
                let u = decayed >= current ? decayed : current  // a NaN gradient propagates
                expInf[i] = u
                x[i] = xi + negativeCLR * m / u
            }
        }
    }
}
