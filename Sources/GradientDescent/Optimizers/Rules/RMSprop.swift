/// torch.optim.RMSprop (single-tensor path): centered, momentum, weight_decay, maximize.
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     v = v * alpha + (1 - alpha) * g * g
///     centered: g_avg = g_avg.lerp(g, 1 - alpha); avg = sqrt(v - g_avg * g_avg) + eps
///     else:     avg = sqrt(v) + eps
///     momentum > 0: buf = buf * momentum + g / avg; x = x + (-lr) * buf
///     else:         x = x + (-lr) * g / avg
struct RMSprop: UpdateRule {
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
        let step = Step(
            x: x, gradient: gradient,
            squareAvg: state[buffer: Buffer.squareAvg.rawValue],
            gradAvg: state[buffer: Buffer.gradAvg.rawValue],
            momentumBuffer: state[buffer: Buffer.momentumBuffer.rawValue],
            count: count,
            weightDecay: h[Key.weightDecay],
            alpha: alpha, oneMinusAlpha: 1 - alpha,
            gradAvgWeight: LerpWeight(1 - alpha),
            eps: h[Key.eps],
            momentum: h[Key.momentum],
            negativeLR: -h[Key.lr],
            centered: h.flag(Key.centered))
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
        let squareAvg: UnsafeMutablePointer<Double>
        let gradAvg: UnsafeMutablePointer<Double>
        let momentumBuffer: UnsafeMutablePointer<Double>
        let count: Int
        let weightDecay: Double
        let alpha: Double
        let oneMinusAlpha: Double
        let gradAvgWeight: LerpWeight
        let eps: Double
        let momentum: Double
        let negativeLR: Double
        let centered: Bool

        func run<G: GradientTransform>(_: G.Type) {
            if centered && !gradAvgWeight.isSmall {
                run(G.self, LargeWeightLerp.self)
            } else {
                run(G.self, SmallWeightLerp.self)
            }
        }

        private func run<G: GradientTransform, L: LerpForm>(_: G.Type, _: L.Type) {
            switch (centered, momentum > 0) {
            case (false, false): kernel(G.self, L.self, FlagOff.self, FlagOff.self)
            case (false, true): kernel(G.self, L.self, FlagOff.self, FlagOn.self)
            case (true, false): kernel(G.self, L.self, FlagOn.self, FlagOff.self)
            case (true, true): kernel(G.self, L.self, FlagOn.self, FlagOn.self)
            }
        }

        private func kernel<G: GradientTransform, L: LerpForm, Centered: StaticFlag, Momentum: StaticFlag>(
            _: G.Type, _: L.Type, _: Centered.Type, _: Momentum.Type
        ) {
            let x = x, gradient = gradient
            let squareAvg = squareAvg, gradAvg = gradAvg, momentumBuffer = momentumBuffer
            let weightDecay = weightDecay, alpha = alpha, oneMinusAlpha = oneMinusAlpha
            let gradAvgWeight = gradAvgWeight, eps = eps, momentum = momentum
            let negativeLR = negativeLR
            for i in 0..<count {
                let xi = x[i]
                let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
                let v = squareAvg[i] * alpha + oneMinusAlpha * g * g
                squareAvg[i] = v
                let avg: Double
                if Centered.isOn {
                    let mean = L.lerp(gradAvg[i], g, gradAvgWeight)
                    gradAvg[i] = mean
                    avg = (v - mean * mean).squareRoot() + eps
                } else {
                    avg = v.squareRoot() + eps
                }
                if Momentum.isOn {
                    let b = momentumBuffer[i] * momentum + g / avg
                    momentumBuffer[i] = b
                    x[i] = xi + negativeLR * b
                } else {
                    x[i] = xi + negativeLR * g / avg
                }
            }
        }
    }
}
