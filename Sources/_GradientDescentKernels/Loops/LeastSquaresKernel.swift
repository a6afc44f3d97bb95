// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension LeastSquaresPass {
    /// The pass, compiled for this copy's target: per row r = x_i·θ − y_i, loss r²/2 and, when
    /// a gradient is asked for, r·x_i added to it. Returns the sum of the losses.
    func run() -> Double {
        if let indices {
            return LeastSquaresPass.accumulate(IndexedRows(indices: indices, count: count), x: x, y: y,
                                               columns: columns, theta: theta, gradient: gradient)
        }
        return LeastSquaresPass.accumulate(ContiguousRows(start: start, count: count), x: x, y: y,
                                           columns: columns, theta: theta, gradient: gradient)
    }

    /// Four rows at a time, so the gradient is read and written once per four rows.
    @inline(__always)
    private static func accumulate<R: RowOrder>(_ rows: R, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
                                                columns d: Int, theta: UnsafePointer<Double>,
                                                gradient: UnsafeMutablePointer<Double>?) -> Double {
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
