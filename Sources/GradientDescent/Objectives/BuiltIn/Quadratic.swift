import _GradientDescentKernels

/// The quadratic `f(x) = ½·xᵀAx − bᵀx` over a borrowed row-major n×n matrix A and vector b.
/// The gradient is `½(A + Aᵀ)x − b`, which is `Ax − b` for a symmetric A; the minimum of a
/// symmetric positive-definite A is at the solution of Ax = b. A and b must outlive the
/// objective. Full batch only.
public final class Quadratic: Objective {
    /// n, the length of x.
    public let dimension: Int
    private let matrix: UnsafePointer<Double>
    private let vector: UnsafePointer<Double>?

    /// - Parameters: matrix n×n row-major; vector n values, or nil for b = 0.
    public init(matrix: UnsafeBufferPointer<Double>, dimension: Int,
                vector: UnsafeBufferPointer<Double>?) throws(GradientDescentError) {
        try DataChecks.matrix(matrix, rows: dimension, columns: dimension, name: "A")
        if let vector {
            try DataChecks.vector(vector, count: dimension, name: "b")
        }
        self.dimension = dimension
        self.matrix = matrix.baseAddress!
        self.vector = vector?.baseAddress
    }

    /// f(x) and, when `gradient` is non-nil, ∇f(x).
    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let n = dimension
        guard x.count == n, let xs = x.baseAddress, gradient == nil || gradient!.count == n else {
            throw GradientDescentError(.dimensionMismatch, "x or the gradient does not have \(n) entries")
        }
        // xᵀAx = Σ_i x_i (A x)_i; the gradient adds Aᵀx, one row of A at a time (a_i scaled by x_i).
        var quadratic = 0.0
        var linear = 0.0
        if let g = gradient?.baseAddress {
            g.initialize(repeating: 0, count: n)
            for i in 0..<n {
                let row = matrix + i * n
                let ax = DenseKernels.dot(row, xs, n)
                quadratic += xs[i] * ax
                g[i] += 0.5 * ax
                DenseKernels.axpy(g, 0.5 * xs[i], row, n)
            }
            if let b = vector {
                for i in 0..<n { g[i] -= b[i] }
            }
        } else {
            for i in 0..<n {
                quadratic += xs[i] * DenseKernels.dot(matrix + i * n, xs, n)
            }
        }
        if let b = vector {
            linear = DenseKernels.dot(b, xs, n)
        }
        return 0.5 * quadratic - linear
    }
}
