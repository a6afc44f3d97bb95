/// The operands of one RMSprop step (centered, momentum).
package struct RMSpropStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var squareAvg: UnsafeMutablePointer<Double>
    package var gradAvg: UnsafeMutablePointer<Double>
    package var momentumBuffer: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var alpha: Double
    package var oneMinusAlpha: Double
    package var gradAvgWeight: Double  // 1 - alpha, the lerp weight of grad_avg
    package var eps: Double
    package var momentum: Double
    package var negativeLR: Double
    package var centered: Bool

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 squareAvg: UnsafeMutablePointer<Double>, gradAvg: UnsafeMutablePointer<Double>,
                 momentumBuffer: UnsafeMutablePointer<Double>, count: Int,
                 transform: GradientTransformKind, weightDecay: Double, alpha: Double,
                 oneMinusAlpha: Double, gradAvgWeight: Double, eps: Double, momentum: Double,
                 negativeLR: Double, centered: Bool) {
        self.x = x
        self.gradient = gradient
        self.squareAvg = squareAvg
        self.gradAvg = gradAvg
        self.momentumBuffer = momentumBuffer
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.alpha = alpha
        self.oneMinusAlpha = oneMinusAlpha
        self.gradAvgWeight = gradAvgWeight
        self.eps = eps
        self.momentum = momentum
        self.negativeLR = negativeLR
        self.centered = centered
    }
}
