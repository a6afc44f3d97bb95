// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension SGDStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        guard useMomentum else {
            return kernel(G.self, FlagOff.self, FlagOff.self, FlagOff.self)
        }
        switch (started, nesterov) {
        case (false, false): kernel(G.self, FlagOn.self, FlagOn.self, FlagOff.self)
        case (false, true): kernel(G.self, FlagOn.self, FlagOn.self, FlagOn.self)
        case (true, false): kernel(G.self, FlagOn.self, FlagOff.self, FlagOff.self)
        case (true, true): kernel(G.self, FlagOn.self, FlagOff.self, FlagOn.self)
        }
    }

    private func kernel<G: GradientTransform, Momentum: StaticFlag, First: StaticFlag, Nesterov: StaticFlag>(
        _: G.Type, _: Momentum.Type, _: First.Type, _: Nesterov.Type
    ) {
        let x = x, gradient = gradient, buffer = buffer
        let negativeLR = negativeLR, weightDecay = weightDecay
        let momentum = momentum, gradientWeight = gradientWeight
        for i in 0..<count {
            let xi = x[i]
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            var direction = g
            if Momentum.isOn {
                let b = First.isOn ? g : buffer[i] * momentum + gradientWeight * g
                buffer[i] = b
                direction = Nesterov.isOn ? g + momentum * b : b
            }
            x[i] = xi + negativeLR * direction
        }
    }
}
