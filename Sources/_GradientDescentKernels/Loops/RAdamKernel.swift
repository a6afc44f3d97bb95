// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension RAdamStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        if decayFactor != 1 {
            run(G.self, FlagOn.self)
        } else {
            run(G.self, FlagOff.self)
        }
    }

    @inline(__always)
    private func run<G: GradientTransform, Decoupled: StaticFlag>(_: G.Type, _: Decoupled.Type) {
        switch (LerpWeight(firstMomentWeight).isSmall, rectified) {
        case (true, true): kernel(G.self, SmallWeightLerp.self, FlagOn.self, Decoupled.self)
        case (true, false): kernel(G.self, SmallWeightLerp.self, FlagOff.self, Decoupled.self)
        case (false, true): kernel(G.self, LargeWeightLerp.self, FlagOn.self, Decoupled.self)
        case (false, false): kernel(G.self, LargeWeightLerp.self, FlagOff.self, Decoupled.self)
        }
    }

    private func kernel<G: GradientTransform, L: LerpForm, Rectified: StaticFlag, Decoupled: StaticFlag>(
        _: G.Type, _: L.Type, _: Rectified.Type, _: Decoupled.Type
    ) {
        let x = x, gradient = gradient, expAvg = expAvg, expAvgSq = expAvgSq
        let weightDecay = weightDecay, decayFactor = decayFactor, firstMomentWeight = LerpWeight(firstMomentWeight)
        let beta2 = beta2, oneMinusBeta2 = oneMinusBeta2
        let biasCorrection1 = biasCorrection1, biasCorrection2Sqrt = biasCorrection2Sqrt
        let lr = lr, eps = eps, rect = rect
        for i in 0..<count {
            var xi = x[i]
            if Decoupled.isOn { xi = xi * decayFactor }
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let m = L.lerp(expAvg[i], g, firstMomentWeight)
            expAvg[i] = m
            let v = expAvgSq[i] * beta2 + oneMinusBeta2 * g * g
            expAvgSq[i] = v
            let corrected = m / biasCorrection1
            if Rectified.isOn {
                let adaptiveLR = biasCorrection2Sqrt / (v.vectorizableSquareRoot() + eps)
                x[i] = xi - corrected * lr * adaptiveLR * rect
            } else {
                x[i] = xi - corrected * lr
            }
        }
    }
}
