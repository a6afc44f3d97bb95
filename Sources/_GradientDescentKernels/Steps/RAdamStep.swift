/// The operands of one RAdam step.
package struct RAdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double          // 1 - lr * weight_decay when decoupled, else 1
    package var firstMomentWeight: Double  // 1 - beta1
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection1: Double
    package var biasCorrection2Sqrt: Double
    package var lr: Double
    package var eps: Double
    package var rect: Double
    package var rectified: Bool            // rho_t > 5

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection1: Double, biasCorrection2Sqrt: Double, lr: Double, eps: Double,
                 rect: Double, rectified: Bool) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.oneMinusBeta2 = oneMinusBeta2
        self.biasCorrection1 = biasCorrection1
        self.biasCorrection2Sqrt = biasCorrection2Sqrt
        self.lr = lr
        self.eps = eps
        self.rect = rect
        self.rectified = rectified
    }
}
