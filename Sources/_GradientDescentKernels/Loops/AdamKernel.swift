// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension AdamStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        if LerpWeight(firstMomentWeight).isSmall {
            run(G.self, SmallWeightLerp.self)
        } else {
            run(G.self, LargeWeightLerp.self)
        }
    }

    @inline(__always)
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
        let firstMomentWeight = LerpWeight(firstMomentWeight)
        let beta2 = beta2, oneMinusBeta2 = oneMinusBeta2
        let biasCorrection2Sqrt = ConstantDivisor(biasCorrection2Sqrt), eps = eps
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
            let denominator = biasCorrection2Sqrt.divide(second.vectorizableSquareRoot()) + eps
            x[i] = xi + negativeStepSize * m / denominator
        }
    }
}
