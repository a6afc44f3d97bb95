import _GradientDescentKernels

/// Linear least squares over borrowed row-major data, as the seed article defines it:
/// `J(θ) = 1/(2m)·‖Xθ − y‖² + (l2/2)·‖θ‖²`, `∇J = (1/m)·Xᵀ(Xθ − y) + l2·θ`.
///
/// Sampled over the m rows: a batch's loss and gradient are the mean over its rows, computed
/// in one pass (the residual and `Xᵀr` together). X and y are borrowed, never copied: they
/// must outlive the objective. No intercept is added; append a column of ones for one.
public final class LeastSquares: RowDataObjective {
    /// - Parameters: features: m×d row-major; targets: m values; l2 >= 0.
    public init(features: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                targets: UnsafeBufferPointer<Double>, l2: Double = 0) throws(GradientDescentError) {
        try DataChecks.matrix(features, rows: rows, columns: columns, name: "X")
        try DataChecks.vector(targets, count: rows, name: "y")
        try DataChecks.l2(l2)
        let kernel = LeastSquaresKernel(x: features.baseAddress!, y: targets.baseAddress!, d: columns)
        try super.init(passes: RowPasses(kernel: kernel, sampleCount: rows, workPerRow: columns, l2: l2))
    }
}

/// Per row: r = x_i·θ − y_i, loss r²/2, gradient r·x_i; the loop runs in the process's kernel
/// set (LeastSquaresPass; AVX2 where the CPU has it).
struct LeastSquaresKernel: RowKernel {
    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let d: Int
    var dimension: Int { d }
    var scratchCount: Int { 0 }
    var rowMajorData: (start: UnsafePointer<Double>, columns: Int)? { (x, d) }

    @inline(__always)
    func accumulate<R: RowOrder>(_ rows: R, theta: UnsafePointer<Double>,
                                 gradient: UnsafeMutablePointer<Double>?,
                                 scratch: UnsafeMutablePointer<Double>) -> Double {
        let pass: LeastSquaresPass
        if let rows = rows as? IndexedRows {
            pass = LeastSquaresPass(x: x, y: y, columns: d, start: 0, count: rows.count, indices: rows.indices,
                                    theta: theta, gradient: gradient)
        } else {
            pass = LeastSquaresPass(x: x, y: y, columns: d, start: rows.row(0), count: rows.count, indices: nil,
                                    theta: theta, gradient: gradient)
        }
        return KernelDispatch.kernels.leastSquares(pass)
    }
}
