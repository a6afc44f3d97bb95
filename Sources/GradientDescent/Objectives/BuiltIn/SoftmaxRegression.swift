import _GradientDescentKernels

/// Multinomial (softmax) regression over borrowed row-major data. θ is a d×K row-major
/// matrix (θ[j·K + c]); with scores s_i = x_iᵀθ (K values) and integer labels c_i in [0, K),
/// `J(θ) = (1/m)·Σ [logsumexp(s_i) − s_{i,c_i}] + (l2/2)·‖θ‖²`,
/// `∇J = (1/m)·Σ x_i ⊗ (softmax(s_i) − e_{c_i}) + l2·θ`.
///
/// log-sum-exp subtracts the largest score first, so no exponential overflows. Sampled over
/// the m rows, one pass per batch; X and the labels are borrowed and must outlive the objective.
public final class SoftmaxRegression: RowDataObjective {
    /// - Parameters: features m×d row-major; labels m class indices in [0, classes);
    ///   classes >= 2; l2 >= 0.
    public init(features: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                labels: UnsafeBufferPointer<Int64>, classes: Int, l2: Double = 0) throws(GradientDescentError) {
        try DataChecks.matrix(features, rows: rows, columns: columns, name: "X")
        if classes < 2 {
            throw GradientDescentError(.invalidArgument, "classes must be >= 2, got \(classes)")
        }
        let (n, overflow) = columns.multipliedReportingOverflow(by: classes)
        if overflow || n > Int.max / 64 {
            throw GradientDescentError(.invalidArgument, "cols × classes = \(columns) × \(classes) is too large")
        }
        guard let labelBase = labels.baseAddress else {
            throw GradientDescentError(.nullArgument, "labels is NULL")
        }
        if labels.count != rows {
            throw GradientDescentError(.dimensionMismatch, "labels has \(labels.count) entries, expected \(rows)")
        }
        for i in 0..<rows where labels[i] < 0 || labels[i] >= Int64(classes) {
            throw GradientDescentError(.invalidArgument, "labels[\(i)] = \(labels[i]) is not a class in [0, \(classes))")
        }
        try DataChecks.l2(l2)
        let kernel = SoftmaxKernel(x: features.baseAddress!, labels: labelBase, d: columns, k: classes)
        try super.init(passes: RowPasses(kernel: kernel, sampleCount: rows, workPerRow: n, l2: l2))
    }
}

struct SoftmaxKernel: RowKernel {
    let x: UnsafePointer<Double>
    let labels: UnsafePointer<Int64>
    let d: Int
    let k: Int
    var dimension: Int { d * k }
    var scratchCount: Int { k }
    var rowMajorData: (start: UnsafePointer<Double>, columns: Int)? { (x, d) }

    @inline(__always)
    func accumulate<R: RowOrder>(_ rows: R, theta: UnsafePointer<Double>,
                                 gradient: UnsafeMutablePointer<Double>?,
                                 scratch s: UnsafeMutablePointer<Double>) -> Double {
        var sum = 0.0
        for r in 0..<rows.count {
            let i = rows.row(r)
            let a = x + i * d
            // s = aᵀθ: the rows of θ scaled by a_j, added (contiguous in θ).
            s.initialize(repeating: 0, count: k)
            for j in 0..<d {
                DenseKernels.axpy(s, a[j], theta + j * k, k)
            }
            let label = Int(labels[i])
            let labelScore = s[label]
            var largest = s[0]
            for c in 1..<k { largest = max(largest, s[c]) }
            var total = 0.0
            for c in 0..<k {
                let e = StableFunctions.exponential(s[c] - largest)
                s[c] = e
                total += e
            }
            // log Σ e^{s_c} − s_label, with the largest score taken out (total is in [1, K]).
            sum += StableFunctions.logarithm(total) + (largest - labelScore)
            if let gradient {
                let inverse = 1 / total
                for c in 0..<k { s[c] *= inverse }
                s[label] -= 1
                for j in 0..<d {
                    DenseKernels.axpy(gradient + j * k, a[j], UnsafePointer(s), k)
                }
            }
        }
        return sum
    }
}
