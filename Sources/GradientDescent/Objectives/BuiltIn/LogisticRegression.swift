import _GradientDescentKernels

/// Binary logistic regression over borrowed row-major data: with z_i = x_i·θ and labels
/// y_i in [0, 1] (usually 0 or 1),
/// `J(θ) = (1/m)·Σ [log(1 + e^{z_i}) − y_i·z_i] + (l2/2)·‖θ‖²`,
/// `∇J = (1/m)·Σ (σ(z_i) − y_i)·x_i + l2·θ`.
///
/// The per-row loss is evaluated as `max(z,0) + log1p(e^{−|z|}) − y·z`, finite and exact
/// at z = ±1000. Sampled over the m rows, one pass per batch; X and y are borrowed and must
/// outlive the objective. No intercept is added; append a column of ones for one.
public final class LogisticRegression: RowDataObjective {
    /// - Parameters: features m×d row-major; labels m values in [0, 1]; l2 >= 0.
    public init(features: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                labels: UnsafeBufferPointer<Double>, l2: Double = 0) throws(GradientDescentError) {
        try DataChecks.matrix(features, rows: rows, columns: columns, name: "X")
        try DataChecks.vector(labels, count: rows, name: "y")
        for i in 0..<rows where !(labels[i] >= 0 && labels[i] <= 1) {
            throw GradientDescentError(.invalidArgument, "y[\(i)] = \(labels[i]) is not a label in [0, 1]")
        }
        try DataChecks.l2(l2)
        let kernel = LogisticKernel(x: features.baseAddress!, y: labels.baseAddress!, d: columns)
        try super.init(passes: RowPasses(kernel: kernel, sampleCount: rows, workPerRow: columns, l2: l2))
    }
}

struct LogisticKernel: RowKernel {
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
        var sum = 0.0
        var k = 0
        while k + 4 <= count {
            let i0 = rows.row(k), i1 = rows.row(k + 1), i2 = rows.row(k + 2), i3 = rows.row(k + 3)
            let a0 = x + i0 * d, a1 = x + i1 * d, a2 = x + i2 * d, a3 = x + i3 * d
            let z = DenseKernels.dots(a0, a1, a2, a3, theta, d)
            let labels = SIMD4<Double>(y[i0], y[i1], y[i2], y[i3])
            sum += StableFunctions.softplus(z[0]) + StableFunctions.softplus(z[1])
                + StableFunctions.softplus(z[2]) + StableFunctions.softplus(z[3])
                - (labels * z).sum()
            if let gradient {
                let p = SIMD4<Double>(StableFunctions.sigmoid(z[0]), StableFunctions.sigmoid(z[1]),
                                      StableFunctions.sigmoid(z[2]), StableFunctions.sigmoid(z[3]))
                DenseKernels.axpy4(gradient, p - labels, a0, a1, a2, a3, d)
            }
            k += 4
        }
        while k < count {
            let i = rows.row(k)
            let a = x + i * d
            let z = DenseKernels.dot(a, theta, d)
            sum += StableFunctions.softplus(z) - y[i] * z
            if let gradient {
                DenseKernels.axpy(gradient, StableFunctions.sigmoid(z) - y[i], a, d)
            }
            k += 1
        }
        return sum
    }
}
