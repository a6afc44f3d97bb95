/// The operands of one Adam / AdamW step: buffers, per-step scalars and flags.
/// The rule (GradientDescent's Adam) computes them; a kernel set runs the loop.
package struct AdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var maxExpAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double         // 1 - lr * weight_decay (AdamW)
    package var firstMomentWeight: Double   // 1 - beta1, the lerp weight
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection2Sqrt: Double
    package var eps: Double
    package var negativeStepSize: Double    // -(lr / bias_correction1)
    package var amsgrad: Bool
    package var decoupledDecay: Bool        // AdamW with weight_decay != 0

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 maxExpAvgSq: UnsafeMutablePointer<Double>, count: Int,
                 transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2Sqrt: Double, eps: Double, negativeStepSize: Double,
                 amsgrad: Bool, decoupledDecay: Bool) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.maxExpAvgSq = maxExpAvgSq
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.oneMinusBeta2 = oneMinusBeta2
        self.biasCorrection2Sqrt = biasCorrection2Sqrt
        self.eps = eps
        self.negativeStepSize = negativeStepSize
        self.amsgrad = amsgrad
        self.decoupledDecay = decoupledDecay
    }
}
