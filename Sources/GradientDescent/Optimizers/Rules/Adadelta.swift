/// torch.optim.Adadelta (single-tensor path).
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     v = v * rho + (1 - rho) * g * g
///     delta = sqrt(u + eps) / sqrt(v + eps) * g
///     u = u * rho + (1 - rho) * delta * delta
///     x = x + (-lr) * delta
struct Adadelta: UpdateRule {
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
        let step = Step(x: x, gradient: gradient,
                        squareAvg: state[buffer: Buffer.squareAvg.rawValue],
                        accDelta: state[buffer: Buffer.accDelta.rawValue],
                        count: count, weightDecay: h[Key.weightDecay],
                        rho: rho, oneMinusRho: 1 - rho, eps: h[Key.eps], negativeLR: -h[Key.lr])
        switch GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]) {
        case .plain: step.kernel(PlainGradient.self)
        case .negated: step.kernel(NegatedGradient.self)
        case .decayed: step.kernel(DecayedGradient.self)
        case .negatedDecayed: step.kernel(NegatedDecayedGradient.self)
        }
    }

    private struct Step {
        let x: UnsafeMutablePointer<Double>
        let gradient: UnsafePointer<Double>
        let squareAvg: UnsafeMutablePointer<Double>
        let accDelta: UnsafeMutablePointer<Double>
        let count: Int
        let weightDecay: Double
        let rho: Double
        let oneMinusRho: Double
        let eps: Double
        let negativeLR: Double

        func kernel<G: GradientTransform>(_: G.Type) {
            let x = x, gradient = gradient, squareAvg = squareAvg, accDelta = accDelta
            let weightDecay = weightDecay, rho = rho, oneMinusRho = oneMinusRho
            let eps = eps, negativeLR = negativeLR
            for i in 0..<count {
                let xi = x[i]
                let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
                let v = squareAvg[i] * rho + oneMinusRho * g * g
                squareAvg[i] = v
                let std = (v + eps).squareRoot()
                let u = accDelta[i]
                let delta = (u + eps).squareRoot() / std * g
                accDelta[i] = u * rho + oneMinusRho * delta * delta
                x[i] = xi + negativeLR * delta
            }
        }
    }
}
