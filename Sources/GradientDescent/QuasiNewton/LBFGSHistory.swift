/// The memory of L-BFGS: the last `capacity` pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k, and
/// the two-loop recursion (Nocedal 1980) that applies the inverse-Hessian approximation they
/// define to a gradient.
///
/// Storage is one checked allocation made when the optimizer is created (or its history_size
/// set): 2·capacity·n doubles for the pairs and 2·capacity scalars. Adding a pair and
/// computing a direction allocate nothing.
final class LBFGSHistory {
    let dimension: Int
    let capacity: Int
    /// Pairs stored, at most capacity.
    private(set) var count = 0
    /// The slot of the newest pair (pairs live in a ring of capacity slots).
    private(set) var newest = -1
    /// s·y / y·y of the newest pair: the scale of the initial matrix H0 = gamma·I.
    private(set) var gamma = 1.0

    private let storage: UnsafeMutableBufferPointer<Double>
    private let sBase: UnsafeMutablePointer<Double>
    private let yBase: UnsafeMutablePointer<Double>
    /// 1 / s·y per slot.
    private let rho: UnsafeMutablePointer<Double>
    /// Scratch of the two-loop recursion.
    private let alpha: UnsafeMutablePointer<Double>

    /// A pair is kept only when s·y > skipFactor·y·y: otherwise the update would not be
    /// positive definite (or barely), and the pair is skipped (machine epsilon, as the
    /// reference implementations do).
    static let skipFactor = Double.ulpOfOne

    /// Doubles the history of `capacity` pairs over `dimension` parameters takes; nil when
    /// the count overflows.
    static func storageCount(dimension: Int, capacity: Int) -> Int? {
        let (pairs, overflow1) = dimension.multipliedReportingOverflow(by: 2 * capacity)
        let (total, overflow2) = pairs.addingReportingOverflow(2 * capacity)
        return overflow1 || overflow2 || total > Int.max / 64 ? nil : total
    }

    init(dimension: Int, capacity: Int) throws(GradientDescentError) {
        guard capacity >= 1, let doubles = LBFGSHistory.storageCount(dimension: dimension, capacity: capacity) else {
            throw GradientDescentError(.outOfMemory,
                "a history of \(capacity) pairs over \(dimension) parameters is too large to allocate")
        }
        let storage = try CheckedAllocation.allocate(Double.self, count: doubles,
                                                     what: "the L-BFGS history")
        storage.initialize(repeating: 0)
        self.dimension = dimension
        self.capacity = capacity
        self.storage = storage
        let base = storage.baseAddress!
        sBase = base
        yBase = base + capacity * dimension
        rho = base + 2 * capacity * dimension
        alpha = rho + capacity
    }

    deinit {
        CheckedAllocation.deallocate(storage)
    }

    @inline(__always) func s(_ slot: Int) -> UnsafeMutablePointer<Double> { sBase + slot * dimension }
    @inline(__always) func y(_ slot: Int) -> UnsafeMutablePointer<Double> { yBase + slot * dimension }

    /// Takes `count` pairs already copied into slots 0..<count, oldest first (a loaded state).
    func restore(count: Int, gamma: Double, rho values: [Double]) {
        for (slot, value) in values.enumerated() { rho[slot] = value }
        self.count = count
        newest = count - 1
        self.gamma = count > 0 ? gamma : 1
    }

    /// 1 / s·y of the pair in `slot`, as stored.
    func storedRho(_ slot: Int) -> Double { rho[slot] }

    /// Forgets every pair.
    func clear() {
        count = 0
        newest = -1
        gamma = 1
    }

    /// Adds the pair s = x - previousX, y = g - previousG unless s·y <= skipFactor·y·y;
    /// true when it was added (the oldest pair then drops out of a full history).
    @discardableResult
    func add(x: UnsafePointer<Double>, previousX: UnsafePointer<Double>,
             gradient g: UnsafePointer<Double>, previousGradient: UnsafePointer<Double>) -> Bool {
        let n = dimension
        var sy = 0.0, yy = 0.0
        for i in 0..<n {
            let si = x[i] - previousX[i]
            let yi = g[i] - previousGradient[i]
            sy += si * yi
            yy += yi * yi
        }
        if !(sy > LBFGSHistory.skipFactor * yy) || !sy.isFinite || !yy.isFinite { return false }
        let slot = (newest + 1) % capacity
        let s = self.s(slot), y = self.y(slot)
        for i in 0..<n {
            s[i] = x[i] - previousX[i]
            y[i] = g[i] - previousGradient[i]
        }
        rho[slot] = 1 / sy
        gamma = sy / yy
        newest = slot
        count = min(count + 1, capacity)
        return true
    }

    /// direction = -H·g, H the L-BFGS inverse-Hessian approximation with H0 = gamma·I.
    func direction(gradient g: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>) {
        let n = dimension
        for i in 0..<n { d[i] = -g[i] }
        if count == 0 { return }
        for k in 0..<count {
            let slot = (newest - k + capacity) % capacity
            let a = rho[slot] * DenseVectors.dot(s(slot), d, n)
            alpha[slot] = a
            DenseVectors.axpy(-a, y(slot), d, n)
        }
        DenseVectors.scale(gamma, d, n)
        for k in stride(from: count - 1, through: 0, by: -1) {
            let slot = (newest - k + capacity) % capacity
            let b = rho[slot] * DenseVectors.dot(y(slot), d, n)
            DenseVectors.axpy(alpha[slot] - b, s(slot), d, n)
        }
    }
}
