/// Small vector kernels the loop needs each iteration.
enum VectorKernels {
    /// ||v||_2 with four partial sums so the loop vectorizes; the sum is non-finite when any
    /// entry is (or when the squares overflow, which the caller also treats as non-finite).
    /// Below four entries the loop would only run its remainder into s0: the same sums are
    /// written out, since a loop of one to three turns costs more than the arithmetic (the
    /// run computes this norm every iteration).
    @inline(__always)
    static func norm(_ v: UnsafeBufferPointer<Double>) -> Double {
        guard let p = v.baseAddress else { return 0 }
        let n = v.count
        if n < 4 {
            // ((s0 + 0) + (0 + 0)) is s0: a sum of squares is never -0.
            var s0 = 0.0
            if n > 0 { s0 += p[0] * p[0] }
            if n > 1 { s0 += p[1] * p[1] }
            if n > 2 { s0 += p[2] * p[2] }
            return s0.squareRoot()
        }
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

    /// destination[0..<n] = source[0..<n] (n = source.count <= destination.count). The run
    /// copies x every iteration; up to four doubles the copy is written out, since for the
    /// small x of test functions and hand-written objectives a call to memmove (or a loop of a
    /// few turns) costs more than the copy.
    @inline(__always)
    static func copy(_ source: UnsafeBufferPointer<Double>, to destination: UnsafeMutableBufferPointer<Double>) {
        let n = source.count
        guard n <= destination.count, let from = source.baseAddress, let to = destination.baseAddress else { return }
        if n <= 4 {
            if n > 0 { to[0] = from[0] }
            if n > 1 { to[1] = from[1] }
            if n > 2 { to[2] = from[2] }
            if n > 3 { to[3] = from[3] }
        } else {
            to.update(from: from, count: n)
        }
    }
}
