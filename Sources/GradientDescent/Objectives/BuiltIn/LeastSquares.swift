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

/// Per row: r = x_i·θ − y_i, loss r²/2, gradient r·x_i. Four rows at a time, so the
/// gradient is read and written once per four rows.
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
        let count = rows.count
        var sum = SIMD4<Double>()
        var k = 0
        while k + 4 <= count {
            let i0 = rows.row(k), i1 = rows.row(k + 1), i2 = rows.row(k + 2), i3 = rows.row(k + 3)
            let a0 = x + i0 * d, a1 = x + i1 * d, a2 = x + i2 * d, a3 = x + i3 * d
            let r = DenseKernels.dots(a0, a1, a2, a3, theta, d) - SIMD4<Double>(y[i0], y[i1], y[i2], y[i3])
            sum += r * r
            if let gradient {
                DenseKernels.axpy4(gradient, r, a0, a1, a2, a3, d)
            }
            k += 4
        }
        var tail = 0.0
        while k < count {
            let i = rows.row(k)
            let a = x + i * d
            let r = DenseKernels.dot(a, theta, d) - y[i]
            tail += r * r
            if let gradient {
                DenseKernels.axpy(gradient, r, a, d)
            }
            k += 1
        }
        return 0.5 * (sum.sum() + tail)
    }
}
