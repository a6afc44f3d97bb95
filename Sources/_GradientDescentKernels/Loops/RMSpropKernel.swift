// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension RMSpropStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        if centered && !LerpWeight(gradAvgWeight).isSmall {
            run(G.self, LargeWeightLerp.self)
        } else {
            run(G.self, SmallWeightLerp.self)
        }
    }

    @inline(__always)
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
        let gradAvgWeight = LerpWeight(gradAvgWeight), eps = eps, momentum = momentum
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
                avg = (v - mean * mean).vectorizableSquareRoot() + eps
            } else {
                avg = v.vectorizableSquareRoot() + eps
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
