// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension AdamaxStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        if LerpWeight(firstMomentWeight).isSmall {
            kernel(G.self, SmallWeightLerp.self)
        } else {
            kernel(G.self, LargeWeightLerp.self)
        }
    }

    private func kernel<G: GradientTransform, L: LerpForm>(_: G.Type, _: L.Type) {
        let x = x, gradient = gradient, expAvg = expAvg, expInf = expInf
        let weightDecay = weightDecay, firstMomentWeight = LerpWeight(firstMomentWeight)
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
