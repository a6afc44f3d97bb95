/// The vector operations of the quasi-Newton step and the line searches, over raw pointers
/// of `count` doubles. Sums use four partial sums in a fixed order, so results are the same
/// bits on every machine and every run.
enum DenseVectors {
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < count {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// y += alpha·x
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }

    /// x = a·x
    static func scale(_ a: Double, _ x: UnsafeMutablePointer<Double>, _ count: Int) {
        for i in 0..<count { x[i] *= a }
    }

    /// result = start + step·direction
    static func point(_ start: UnsafePointer<Double>, step: Double, direction: UnsafePointer<Double>,
                      into result: UnsafeMutablePointer<Double>, _ count: Int) {
        for i in 0..<count { result[i] = start[i] + step * direction[i] }
    }
}
