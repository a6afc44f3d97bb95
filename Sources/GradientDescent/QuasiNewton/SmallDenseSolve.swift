/// LU factorization with partial pivoting of a small dense matrix (row-major, `order` × `order`)
/// in place, and solves with it: the 2m × 2m systems of the bounded L-BFGS step. No
/// allocation; `pivots` holds `order` entries.
enum SmallDenseSolve {
    /// Factors `a` in place; false when a pivot is zero or not finite (singular to working
    /// precision).
    static func factor(_ a: UnsafeMutablePointer<Double>, order q: Int, pivots: UnsafeMutablePointer<Int>) -> Bool {
        for column in 0..<q {
            var best = column
            var largest = abs(a[column * q + column])
            for row in (column + 1)..<max(column + 1, q) where abs(a[row * q + column]) > largest {
                largest = abs(a[row * q + column])
                best = row
            }
            pivots[column] = best
            if !(largest > 0) || !largest.isFinite { return false }
            if best != column {
                for j in 0..<q {
                    let t = a[column * q + j]
                    a[column * q + j] = a[best * q + j]
                    a[best * q + j] = t
                }
            }
            let pivot = a[column * q + column]
            for row in (column + 1)..<max(column + 1, q) {
                let factor = a[row * q + column] / pivot
                a[row * q + column] = factor
                if factor != 0 {
                    for j in (column + 1)..<q { a[row * q + j] -= factor * a[column * q + j] }
                }
            }
        }
        return true
    }

    /// Solves (LU) x = b in place in `b` with a factorization from `factor`.
    static func solve(_ lu: UnsafePointer<Double>, order q: Int, pivots: UnsafePointer<Int>,
                      _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<q where pivots[i] != i {
            let t = b[i]
            b[i] = b[pivots[i]]
            b[pivots[i]] = t
        }
        for i in 0..<q {
            var sum = b[i]
            for j in 0..<i { sum -= lu[i * q + j] * b[j] }
            b[i] = sum
        }
        for i in stride(from: q - 1, through: 0, by: -1) {
            var sum = b[i]
            for j in (i + 1)..<max(i + 1, q) { sum -= lu[i * q + j] * b[j] }
            b[i] = sum / lu[i * q + i]
        }
    }

    /// y = A x for a q × q row-major A.
    static func multiply(_ a: UnsafePointer<Double>, order q: Int, _ x: UnsafePointer<Double>,
                         into y: UnsafeMutablePointer<Double>) {
        for i in 0..<q {
            var sum = 0.0
            for j in 0..<q { sum += a[i * q + j] * x[j] }
            y[i] = sum
        }
    }
}
