// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension AdadeltaStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    func run<G: GradientTransform>(_: G.Type) {
        let x = x, gradient = gradient, squareAvg = squareAvg, accDelta = accDelta
        let weightDecay = weightDecay, rho = rho, oneMinusRho = oneMinusRho
        let eps = eps, negativeLR = negativeLR
        for i in 0..<count {
            let xi = x[i]
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let v = squareAvg[i] * rho + oneMinusRho * g * g
            squareAvg[i] = v
            let std = (v + eps).vectorizableSquareRoot()
            let u = accDelta[i]
            let delta = (u + eps).vectorizableSquareRoot() / std * g
            accDelta[i] = u * rho + oneMinusRho * delta * delta
            x[i] = xi + negativeLR * delta
        }
    }
}
