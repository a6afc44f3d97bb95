/// The operands of one Adamax step.
package struct AdamaxStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expInf: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var firstMomentWeight: Double  // 1 - beta1
    package var beta2: Double
    package var eps: Double
    package var negativeCLR: Double        // -lr / (1 - beta1^t)

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expInf: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double,
                 firstMomentWeight: Double, beta2: Double, eps: Double, negativeCLR: Double) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expInf = expInf
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.eps = eps
        self.negativeCLR = negativeCLR
    }
}
