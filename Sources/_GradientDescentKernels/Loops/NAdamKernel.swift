// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension NAdamStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        switch (LerpWeight(firstMomentWeight).isSmall, decayFactor != 1) {
        case (true, false): kernel(G.self, SmallWeightLerp.self, FlagOff.self)
        case (true, true): kernel(G.self, SmallWeightLerp.self, FlagOn.self)
        case (false, false): kernel(G.self, LargeWeightLerp.self, FlagOff.self)
        case (false, true): kernel(G.self, LargeWeightLerp.self, FlagOn.self)
        }
    }

    private func kernel<G: GradientTransform, L: LerpForm, Decoupled: StaticFlag>(
        _: G.Type, _: L.Type, _: Decoupled.Type
    ) {
        let x = x, gradient = gradient, expAvg = expAvg, expAvgSq = expAvgSq
        let weightDecay = weightDecay, decayFactor = decayFactor, firstMomentWeight = LerpWeight(firstMomentWeight)
        let beta2 = beta2, oneMinusBeta2 = oneMinusBeta2
        let biasCorrection2 = biasCorrection2, eps = eps
        let gradientCoefficient = gradientCoefficient, momentCoefficient = momentCoefficient
        for i in 0..<count {
            var xi = x[i]
            if Decoupled.isOn { xi = xi * decayFactor }
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let m = L.lerp(expAvg[i], g, firstMomentWeight)
            expAvg[i] = m
            let v = expAvgSq[i] * beta2 + oneMinusBeta2 * g * g
            expAvgSq[i] = v
            let denominator = (v / biasCorrection2).vectorizableSquareRoot() + eps
            // Two addcdiv_ calls in PyTorch: the gradient term lands in x first.
            let partial = xi + gradientCoefficient * g / denominator
            x[i] = partial + momentCoefficient * m / denominator
        }
    }
}
