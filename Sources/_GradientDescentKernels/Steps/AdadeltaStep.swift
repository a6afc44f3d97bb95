/// The operands of one Adadelta step.
package struct AdadeltaStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var squareAvg: UnsafeMutablePointer<Double>
    package var accDelta: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var rho: Double
    package var oneMinusRho: Double
    package var eps: Double
    package var negativeLR: Double

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 squareAvg: UnsafeMutablePointer<Double>, accDelta: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, rho: Double,
                 oneMinusRho: Double, eps: Double, negativeLR: Double) {
        self.x = x
        self.gradient = gradient
        self.squareAvg = squareAvg
        self.accDelta = accDelta
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.rho = rho
        self.oneMinusRho = oneMinusRho
        self.eps = eps
        self.negativeLR = negativeLR
    }
}
