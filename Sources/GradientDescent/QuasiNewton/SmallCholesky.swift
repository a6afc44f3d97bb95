/// Cholesky factorization A = R Rᵀ (R lower triangular) of a small symmetric positive
/// definite matrix, row-major `order` × `order`, in place, and the triangular solves with
/// it: the k × k systems of the bounded L-BFGS step. Only the lower triangle of A is read.
/// No allocation.
enum SmallCholesky {
    /// Replaces the lower triangle of `a` with R; false when a pivot is not positive and
    /// finite (A is not positive definite to working precision).
    static func factor(_ a: UnsafeMutablePointer<Double>, order k: Int) -> Bool {
        for j in 0..<k {
            var pivot = a[j * k + j]
            for e in 0..<j { pivot -= a[j * k + e] * a[j * k + e] }
            if !(pivot > 0) || !pivot.isFinite { return false }
            let root = pivot.squareRoot()
            a[j * k + j] = root
            for i in (j + 1)..<max(j + 1, k) {
                var sum = a[i * k + j]
                for e in 0..<j { sum -= a[i * k + e] * a[j * k + e] }
                a[i * k + j] = sum / root
            }
        }
        return true
    }

    /// b = R⁻¹ b (forward substitution).
    static func solveLower(_ r: UnsafePointer<Double>, order k: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<k {
            var sum = b[i]
            for e in 0..<i { sum -= r[i * k + e] * b[e] }
            b[i] = sum / r[i * k + i]
        }
    }

    /// b = R⁻ᵀ b (back substitution).
    static func solveUpper(_ r: UnsafePointer<Double>, order k: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in stride(from: k - 1, through: 0, by: -1) {
            var sum = b[i]
            for e in (i + 1)..<max(i + 1, k) { sum -= r[e * k + i] * b[e] }
            b[i] = sum / r[i * k + i]
        }
    }

    /// b = A⁻¹ b with A = R Rᵀ.
    static func solve(_ r: UnsafePointer<Double>, order k: Int, _ b: UnsafeMutablePointer<Double>) {
        solveLower(r, order: k, b)
        solveUpper(r, order: k, b)
    }
}
