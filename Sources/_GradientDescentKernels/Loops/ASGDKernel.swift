// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension ASGDStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        if mu != 1 {
            kernel(G.self, FlagOn.self)
        } else {
            kernel(G.self, FlagOff.self)
        }
    }

    private func kernel<G: GradientTransform, Averaging: StaticFlag>(_: G.Type, _: Averaging.Type) {
        let x = x, gradient = gradient, average = average
        let weightDecay = weightDecay, decayFactor = decayFactor
        let negativeEta = negativeEta, mu = mu
        for i in 0..<count {
            let xi = x[i]
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let updated = xi * decayFactor + negativeEta * g
            x[i] = updated
            // mu == 1 copies x (torch's ax.copy_), else ax + (x - ax) * mu.
            average[i] = Averaging.isOn ? average[i] + (updated - average[i]) * mu : updated
        }
    }
}
