/// The operands of one least-squares pass over rows of a row-major X (the loop:
/// Loops/LeastSquaresKernel.swift, run by a kernel set, so on an AVX2 CPU the pass that
/// streams X runs 4-wide vector code with the same bits). The rows are `start..<start+count`,
/// or `indices[0..<count]` when `indices` is set (a batch).
package struct LeastSquaresPass {
    package var x: UnsafePointer<Double>
    package var y: UnsafePointer<Double>
    package var columns: Int
    package var start: Int
    package var count: Int
    package var indices: UnsafePointer<Int>?
    package var theta: UnsafePointer<Double>
    package var gradient: UnsafeMutablePointer<Double>?

    package init(x: UnsafePointer<Double>, y: UnsafePointer<Double>, columns: Int, start: Int, count: Int,
                 indices: UnsafePointer<Int>?, theta: UnsafePointer<Double>,
                 gradient: UnsafeMutablePointer<Double>?) {
        self.x = x
        self.y = y
        self.columns = columns
        self.start = start
        self.count = count
        self.indices = indices
        self.theta = theta
        self.gradient = gradient
    }
}
