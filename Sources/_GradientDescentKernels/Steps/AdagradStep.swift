/// The operands of one Adagrad step (dense gradients).
package struct AdagradStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var sum: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var eps: Double
    package var negativeCLR: Double  // -lr / (1 + (t - 1) * lr_decay)

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 sum: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 weightDecay: Double, eps: Double, negativeCLR: Double) {
        self.x = x
        self.gradient = gradient
        self.sum = sum
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.eps = eps
        self.negativeCLR = negativeCLR
    }
}
