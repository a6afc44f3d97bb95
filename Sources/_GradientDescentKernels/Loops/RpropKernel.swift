// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension RpropStep {
    /// Runs the loop specialized for maximize.
    @inline(__always)
    func run() {
        if maximize {
            kernel(NegatedGradient.self)
        } else {
            kernel(PlainGradient.self)
        }
    }

    private func kernel<G: GradientTransform>(_: G.Type) {
        let x = x, gradient = gradient, previous = previous, stepSize = stepSize
        let etaminus = etaminus, etaplus = etaplus
        let stepSizeMin = stepSizeMin, stepSizeMax = stepSizeMax
        for i in 0..<count {
            var g = G.apply(gradient[i], x: 0, weightDecay: 0)
            let product = g * previous[i]
            // torch: sign(product) mapped to etaplus / etaminus / 1 (sign of NaN is 0).
            let factor = product > 0 ? etaplus : (product < 0 ? etaminus : 1)
            // clamp_(min, max), a NaN step size staying NaN.
            let scaled = stepSize[i] * factor
            let size = scaled.isNaN ? scaled : Swift.min(Swift.max(scaled, stepSizeMin), stepSizeMax)
            stepSize[i] = size
            if product < 0 { g = 0 }
            // addcmul_(grad.sign(), step_size, value=-1); sign of NaN is 0.
            let direction: Double = g > 0 ? -1 : (g < 0 ? 1 : 0)
            x[i] = x[i] + direction * size
            previous[i] = g
        }
    }
}
