/// The operands of one Rprop step.
package struct RpropStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var previous: UnsafeMutablePointer<Double>  // prev: the last step's (zeroed) gradient
    package var stepSize: UnsafeMutablePointer<Double>  // step_size: per-element step lengths
    package var count: Int
    package var maximize: Bool
    package var etaminus: Double
    package var etaplus: Double
    package var stepSizeMin: Double
    package var stepSizeMax: Double

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 previous: UnsafeMutablePointer<Double>, stepSize: UnsafeMutablePointer<Double>,
                 count: Int, maximize: Bool, etaminus: Double, etaplus: Double,
                 stepSizeMin: Double, stepSizeMax: Double) {
        self.x = x
        self.gradient = gradient
        self.previous = previous
        self.stepSize = stepSize
        self.count = count
        self.maximize = maximize
        self.etaminus = etaminus
        self.etaplus = etaplus
        self.stepSizeMin = stepSizeMin
        self.stepSizeMax = stepSizeMax
    }
}
