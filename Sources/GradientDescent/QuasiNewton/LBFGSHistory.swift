/// The memory of L-BFGS: the last `capacity` pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k, and
/// the two-loop recursion (Nocedal 1980) that applies the inverse-Hessian approximation they
/// define to a gradient.
///
/// The pairs' storage, 2·capacity·n doubles in one checked allocation, is made by `reserve()`
/// when a run starts (the caller has then handed over an x of n doubles), or for exactly the
/// pairs a saved state holds when one is loaded: creating an optimizer, setting its
/// history_size or loading a short blob that claims a large dimension allocates no O(m·n)
/// memory. Adding a pair and computing a direction allocate nothing.
final class LBFGSHistory {
    let dimension: Int
    let capacity: Int
    /// Pairs stored, at most capacity.
    private(set) var count = 0
    /// The slot of the newest pair (pairs live in a ring of capacity slots).
    private(set) var newest = -1
    /// s·y / y·y of the newest pair: the scale of the initial matrix H0 = gamma·I.
    private(set) var gamma = 1.0

    /// Slots the pair storage has: 0 before a run or a load, count after a load, capacity
    /// after `reserve()`.
    private var slotCount = 0
    private var storage: UnsafeMutableBufferPointer<Double>? = nil
    private var sBase: UnsafeMutablePointer<Double>
    private var yBase: UnsafeMutablePointer<Double>
    /// 1 / s·y per slot, then the two-loop recursion's scratch.
    private let scalars: UnsafeMutableBufferPointer<Double>
    private let rho: UnsafeMutablePointer<Double>
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

    /// An empty history; `.outOfMemory` when its full storage could not even be counted.
    init(dimension: Int, capacity: Int) throws(GradientDescentError) {
        guard capacity >= 1, LBFGSHistory.storageCount(dimension: dimension, capacity: capacity) != nil else {
            throw GradientDescentError(.outOfMemory,
                "a history of \(capacity) pairs over \(dimension) parameters is too large to allocate")
        }
        scalars = try CheckedAllocation.allocate(Double.self, count: 2 * capacity, what: "the L-BFGS history")
        scalars.initialize(repeating: 0)
        rho = scalars.baseAddress!
        alpha = rho + capacity
        self.dimension = dimension
        self.capacity = capacity
        // No pair storage yet: the bases point at the scalars and are never read through.
        sBase = rho
        yBase = rho
    }

    deinit {
        if let storage { CheckedAllocation.deallocate(storage) }
        CheckedAllocation.deallocate(scalars)
    }

    /// Storage for `slots` pairs, keeping the pairs already stored (all or nothing: on
    /// failure the old storage stays).
    private func allocate(slots: Int) throws(GradientDescentError) {
        if slots <= slotCount { return }
        let block = try CheckedAllocation.allocate(Double.self, count: 2 * slots * dimension,
                                                   what: "the L-BFGS history")
        block.initialize(repeating: 0)
        let newS = block.baseAddress!, newY = newS + slots * dimension
        if slotCount > 0 {
            newS.update(from: sBase, count: slotCount * dimension)
            newY.update(from: yBase, count: slotCount * dimension)
        }
        if let storage { CheckedAllocation.deallocate(storage) }
        storage = block
        sBase = newS
        yBase = newY
        slotCount = slots
    }

    /// Storage for every slot of the ring: called when a run starts, before its loop.
    func reserve() throws(GradientDescentError) {
        try allocate(slots: capacity)
    }

    @inline(__always) func s(_ slot: Int) -> UnsafeMutablePointer<Double> { sBase + slot * dimension }
    @inline(__always) func y(_ slot: Int) -> UnsafeMutablePointer<Double> { yBase + slot * dimension }

    /// Takes the pairs of a loaded state, oldest first, into storage for exactly that many.
    func restore(gamma: Double, pairs: [(rho: Double, s: UnsafeRawBufferPointer, y: UnsafeRawBufferPointer)]) throws(GradientDescentError) {
        try allocate(slots: pairs.count)
        for (slot, pair) in pairs.enumerated() {
            copyDoubles(pair.s, to: s(slot))
            copyDoubles(pair.y, to: y(slot))
            rho[slot] = pair.rho
        }
        count = pairs.count
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
    /// true when it was added (the oldest pair then drops out of a full history). Needs
    /// `reserve()` first.
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
        precondition(slotCount == capacity, "LBFGSHistory.add before reserve()")
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
