/// The operands of one ASGD step.
package struct ASGDStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var average: UnsafeMutablePointer<Double>  // ax: the averaged iterate
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double   // 1 - lambd * eta
    package var negativeEta: Double   // -eta
    package var mu: Double            // the averaging weight; 1 copies x into ax

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 average: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 weightDecay: Double, decayFactor: Double, negativeEta: Double, mu: Double) {
        self.x = x
        self.gradient = gradient
        self.average = average
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.negativeEta = negativeEta
        self.mu = mu
    }
}
