/// Small vector kernels the loop needs each iteration.
enum VectorKernels {
    /// ||v||_2 with four partial sums so the loop vectorizes; the sum is non-finite when any
    /// entry is (or when the squares overflow, which the caller also treats as non-finite).
    @inline(__always)
    static func norm(_ v: UnsafeBufferPointer<Double>) -> Double {
        guard let p = v.baseAddress else { return 0 }
        let n = v.count
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += p[i] * p[i]
            s1 += p[i + 1] * p[i + 1]
            s2 += p[i + 2] * p[i + 2]
            s3 += p[i + 3] * p[i + 3]
            i += 4
        }
        while i < n {
            s0 += p[i] * p[i]
            i += 1
        }
        return ((s0 + s1) + (s2 + s3)).squareRoot()
    }
}
