// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension AdagradStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    func run<G: GradientTransform>(_: G.Type) {
        let x = x, gradient = gradient, sum = sum
        let weightDecay = weightDecay, eps = eps, negativeCLR = negativeCLR
        for i in 0..<count {
            let xi = x[i]
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let s = sum[i] + g * g
            sum[i] = s
            x[i] = xi + negativeCLR * g / (s.vectorizableSquareRoot() + eps)
        }
    }
}
