/// The operands of one NAdam step.
package struct NAdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double          // 1 - lr * weight_decay when decoupled, else 1
    package var firstMomentWeight: Double    // 1 - beta1
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection2: Double
    package var eps: Double
    package var gradientCoefficient: Double  // -lr * (1 - mu_t) / (1 - mu_product)
    package var momentCoefficient: Double    // -lr * mu_{t+1} / (1 - mu_product * mu_{t+1})

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2: Double, eps: Double, gradientCoefficient: Double,
                 momentCoefficient: Double) {
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
        self.biasCorrection2 = biasCorrection2
        self.eps = eps
        self.gradientCoefficient = gradientCoefficient
        self.momentCoefficient = momentCoefficient
    }
}
