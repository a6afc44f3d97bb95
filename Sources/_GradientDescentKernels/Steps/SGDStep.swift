/// The operands of one SGD step (momentum, dampening, nesterov).
package struct SGDStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var buffer: UnsafeMutablePointer<Double>  // momentum_buffer
    package var count: Int
    package var transform: GradientTransformKind
    package var negativeLR: Double
    package var weightDecay: Double
    package var momentum: Double
    package var gradientWeight: Double  // 1 - dampening
    package var useMomentum: Bool
    package var started: Bool           // the momentum buffer holds a previous step
    package var nesterov: Bool

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 buffer: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 negativeLR: Double, weightDecay: Double, momentum: Double, gradientWeight: Double,
                 useMomentum: Bool, started: Bool, nesterov: Bool) {
        self.x = x
        self.gradient = gradient
        self.buffer = buffer
        self.count = count
        self.transform = transform
        self.negativeLR = negativeLR
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.gradientWeight = gradientWeight
        self.useMomentum = useMomentum
        self.started = started
        self.nesterov = nesterov
    }
}
