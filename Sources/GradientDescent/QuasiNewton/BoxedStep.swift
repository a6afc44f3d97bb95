/// The step of L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995) in a box: the generalized Cauchy
/// point of the quadratic model along the projected-gradient path, then the model's
/// minimizer over the variables still free there (the direct primal method), projected into
/// the box. With the compact form of the L-BFGS matrix,
///
///     B = θI - W M Wᵀ,   W = [Y  θS],   M = [[-D, Lᵀ], [L, θSᵀS]]⁻¹,
///
/// θ = y·y / s·y of the newest pair, D = diag(s_i·y_i), L the strictly lower part of SᵀY
/// (pairs oldest first). Written from the paper's algorithms CP and the direct primal method,
/// with the version 3.0 choice (Morales and Nocedal 2011): the subspace step is projected,
/// and truncated instead when the projection is not a descent direction.
///
/// One workspace per bounded run, allocated before the loop: 3n doubles and n indices, and
/// O(m²) for the small matrices. A step allocates nothing.
final class BoxedStep {
    let dimension: Int
    let capacity: Int

    private let doubles: UnsafeMutableBufferPointer<Double>
    private let indices: UnsafeMutableBufferPointer<Int>
    /// The breakpoint of each variable along the path (infinity: never reaches a bound).
    private let breakpoint: UnsafeMutablePointer<Double>
    /// The generalized Cauchy point.
    let cauchyPoint: UnsafeMutablePointer<Double>
    /// The path's direction (-g, zeroed as variables reach their bounds), then the
    /// subspace step.
    private let pathDirection: UnsafeMutablePointer<Double>
    /// A binary heap of the variables whose breakpoints are ahead, by breakpoint.
    private let heap: UnsafeMutablePointer<Int>
    private let pivots: UnsafeMutablePointer<Int>
    // 2m-vectors and 2m × 2m matrices (row-major, order 2k for k pairs).
    private let p, c, wb, v, u: UnsafeMutablePointer<Double>
    private let middle, factored, reduced: UnsafeMutablePointer<Double>
    /// The slot of the pair of each age (oldest first).
    private let slots: UnsafeMutablePointer<Int>

    init(dimension n: Int, capacity m: Int) throws(GradientDescentError) {
        let q = 2 * m
        let (nDoubles, o1) = n.multipliedReportingOverflow(by: 3)
        let (total, o2) = nDoubles.addingReportingOverflow(5 * q + 3 * q * q)
        if o1 || o2 || total > Int.max / 64 {
            throw GradientDescentError(.outOfMemory, "the bounded L-BFGS step for \(n) parameters is too large to allocate")
        }
        doubles = try CheckedAllocation.allocate(Double.self, count: total, what: "the bounded L-BFGS step")
        do {
            indices = try CheckedAllocation.allocate(Int.self, count: n + q + m, what: "the bounded L-BFGS step")
        } catch {
            CheckedAllocation.deallocate(doubles)
            throw error
        }
        doubles.initialize(repeating: 0)
        indices.initialize(repeating: 0)
        dimension = n
        capacity = m
        let base = doubles.baseAddress!
        breakpoint = base
        cauchyPoint = base + n
        pathDirection = base + 2 * n
        let small = base + 3 * n
        p = small
        c = small + q
        wb = small + 2 * q
        v = small + 3 * q
        u = small + 4 * q
        middle = small + 5 * q
        factored = middle + q * q
        reduced = factored + q * q
        heap = indices.baseAddress!
        pivots = heap + n
        slots = pivots + q
    }

    deinit {
        CheckedAllocation.deallocate(doubles)
        CheckedAllocation.deallocate(indices)
    }

    /// Writes d = x̄ - x, x̄ the bounded quasi-Newton point, into `direction`. False when the
    /// middle matrix is singular to working precision (the caller then drops the history
    /// and asks again: with no pairs the step is the projected gradient's).
    func direction(x: UnsafePointer<Double>, gradient g: UnsafePointer<Double>, bounds: Bounds,
                   history: LBFGSHistory, into d: UnsafeMutablePointer<Double>) -> Bool {
        let n = dimension
        let k = min(history.count, capacity)
        let q = 2 * k
        let theta = k > 0 ? 1 / history.gamma : 1.0
        for age in 0..<k { slots[age] = (history.newest - (k - 1 - age) + history.capacity) % history.capacity }
        if k > 0 && !makeMiddle(history: history, pairs: k, theta: theta) { return false }

        // ---- the generalized Cauchy point ----
        let lower = bounds.lower, upper = bounds.upper
        var heapCount = 0
        var slope = 0.0
        for i in 0..<n {
            let gi = g[i]
            var t = Double.infinity
            if gi < 0 && upper[i] < .infinity {
                t = (x[i] - upper[i]) / gi
            } else if gi > 0 && lower[i] > -.infinity {
                t = (x[i] - lower[i]) / gi
            }
            breakpoint[i] = t
            cauchyPoint[i] = x[i]
            if t == 0 {
                pathDirection[i] = 0
            } else {
                pathDirection[i] = -gi
                slope -= gi * gi
                if t < .infinity {
                    heap[heapCount] = i
                    heapCount += 1
                }
            }
        }
        if heapCount > 1 {
            for start in stride(from: heapCount / 2 - 1, through: 0, by: -1) { siftDown(start, count: heapCount) }
        }
        for j in 0..<q { c[j] = 0 }
        if k > 0 {
            for j in 0..<k {
                let slot = slots[j]
                p[j] = DenseVectors.dot(history.y(slot), pathDirection, n)
                p[k + j] = theta * DenseVectors.dot(history.s(slot), pathDirection, n)
            }
        }
        var f1 = slope
        var f2 = -theta * slope
        if k > 0 {
            SmallDenseSolve.multiply(middle, order: q, p, into: v)
            f2 -= DenseVectors.dot(p, v, q)
        }
        let f2Original = f2
        if f1 >= 0 {
            // The path does not move: x is stationary in the box.
            for i in 0..<n { d[i] = 0 }
            return true
        }
        var dtMin = -f1 / f2
        var tOld = 0.0
        while heapCount > 0 {
            let b = heap[0]
            let t = breakpoint[b]
            let dt = t - tOld
            if dtMin < dt { break }
            heapCount -= 1
            heap[0] = heap[heapCount]
            siftDown(0, count: heapCount)

            let gb = g[b]
            let db = pathDirection[b]
            cauchyPoint[b] = db > 0 ? upper[b] : lower[b]
            let zb = cauchyPoint[b] - x[b]
            f1 += dt * f2 + gb * gb + theta * gb * zb
            f2 -= theta * gb * gb
            if k > 0 {
                for j in 0..<q { c[j] += dt * p[j] }
                for j in 0..<k {
                    let slot = slots[j]
                    wb[j] = history.y(slot)[b]
                    wb[k + j] = theta * history.s(slot)[b]
                }
                SmallDenseSolve.multiply(middle, order: q, wb, into: v)
                let wmc = DenseVectors.dot(c, v, q)
                let wmp = DenseVectors.dot(p, v, q)
                let wmw = DenseVectors.dot(wb, v, q)
                for j in 0..<q { p[j] += gb * wb[j] }
                f1 -= gb * wmc
                f2 += -2 * gb * wmp - gb * gb * wmw
            }
            f2 = max(Double.ulpOfOne * f2Original, f2)
            pathDirection[b] = 0
            dtMin = -f1 / f2
            tOld = t
        }
        dtMin = max(dtMin, 0)
        tOld += dtMin
        for i in 0..<n where pathDirection[i] != 0 {
            cauchyPoint[i] = x[i] + tOld * pathDirection[i]
        }
        for j in 0..<q { c[j] += dtMin * p[j] }

        // ---- subspace minimization over the variables free at the Cauchy point ----
        // reduced gradient r = g + θ(xcp - x) - W M c on the free variables, in pathDirection
        if k > 0 { SmallDenseSolve.multiply(middle, order: q, c, into: v) }
        var freeCount = 0
        for i in 0..<n {
            let free = cauchyPoint[i] > lower[i] && cauchyPoint[i] < upper[i]
            if !free {
                pathDirection[i] = .nan // marks a fixed variable
                continue
            }
            freeCount += 1
            var r = g[i] + theta * (cauchyPoint[i] - x[i])
            if k > 0 {
                var wmc = 0.0
                for j in 0..<k {
                    let slot = slots[j]
                    wmc += history.y(slot)[i] * v[j] + theta * history.s(slot)[i] * v[k + j]
                }
                r -= wmc
            }
            pathDirection[i] = r
        }
        if freeCount > 0 && k > 0 {
            // v = M Wᵀ Z r; N = I - (1/θ) M WᵀZZᵀW; solve N u = v
            for j in 0..<q { wb[j] = 0 }
            for j in 0..<(q * q) { reduced[j] = 0 }
            for i in 0..<n where !pathDirection[i].isNaN {
                for j in 0..<k {
                    let slot = slots[j]
                    u[j] = history.y(slot)[i]
                    u[k + j] = theta * history.s(slot)[i]
                }
                let r = pathDirection[i]
                for a in 0..<q {
                    wb[a] += u[a] * r
                    let ua = u[a]
                    for b in a..<q { reduced[a * q + b] += ua * u[b] }
                }
            }
            for a in 0..<q { for b in 0..<a { reduced[a * q + b] = reduced[b * q + a] } }
            SmallDenseSolve.multiply(middle, order: q, wb, into: v)
            // factored = I - (1/θ) M A
            for a in 0..<q {
                for b in 0..<q {
                    var sum = 0.0
                    for e in 0..<q { sum += middle[a * q + e] * reduced[e * q + b] }
                    factored[a * q + b] = (a == b ? 1 : 0) - sum / theta
                }
            }
            if !SmallDenseSolve.factor(factored, order: q, pivots: pivots) { return false }
            for j in 0..<q { u[j] = v[j] }
            SmallDenseSolve.solve(factored, order: q, pivots: pivots, u)
        }
        // the subspace step on the free variables: -(1/θ) r - (1/θ²) Zᵀ W u
        for i in 0..<n {
            let r = pathDirection[i]
            if r.isNaN {
                pathDirection[i] = 0
                continue
            }
            var step = -r / theta
            if k > 0 {
                var wu = 0.0
                for j in 0..<k {
                    let slot = slots[j]
                    wu += history.y(slot)[i] * u[j] + theta * history.s(slot)[i] * u[k + j]
                }
                step -= wu / (theta * theta)
            }
            pathDirection[i] = step
        }
        // x̄ = P(xcp + step); when that is not a descent direction, the largest feasible
        // fraction of the step instead
        var descent = 0.0
        for i in 0..<n {
            let projected = min(max(cauchyPoint[i] + pathDirection[i], lower[i]), upper[i])
            d[i] = projected - x[i]
            descent += d[i] * g[i]
        }
        if !(descent < 0) {
            let fraction = bounds.largestStep(from: cauchyPoint, along: pathDirection, limit: 1)
            for i in 0..<n {
                d[i] = min(max(cauchyPoint[i] + fraction * pathDirection[i], lower[i]), upper[i]) - x[i]
            }
        }
        return true
    }

    /// M = K⁻¹ for K = [[-D, Lᵀ], [L, θSᵀS]] over the k pairs, oldest first.
    private func makeMiddle(history: LBFGSHistory, pairs k: Int, theta: Double) -> Bool {
        let q = 2 * k
        let n = dimension
        for a in 0..<k {
            let sa = history.s(slots[a])
            for b in 0..<k {
                let yb = history.y(slots[b])
                let sy = DenseVectors.dot(sa, yb, n)
                // rows 0..<k: [-D, Lᵀ]; rows k..<2k: [L, θSᵀS]
                factored[a * q + b] = a == b ? -sy : 0       // -D
                factored[(k + a) * q + b] = a > b ? sy : 0    // L (s_a·y_b, a > b)
                factored[b * q + (k + a)] = a > b ? sy : 0    // Lᵀ
                if b >= a {
                    let ss = theta * DenseVectors.dot(sa, history.s(slots[b]), n)
                    factored[(k + a) * q + (k + b)] = ss
                    factored[(k + b) * q + (k + a)] = ss
                }
            }
        }
        if !SmallDenseSolve.factor(factored, order: q, pivots: pivots) { return false }
        for column in 0..<q {
            for j in 0..<q { v[j] = j == column ? 1 : 0 }
            SmallDenseSolve.solve(factored, order: q, pivots: pivots, v)
            for j in 0..<q { middle[j * q + column] = v[j] }
        }
        return true
    }

    private func siftDown(_ start: Int, count: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= count { return }
            var smallest = left
            let right = left + 1
            if right < count && breakpoint[heap[right]] < breakpoint[heap[left]] { smallest = right }
            if breakpoint[heap[smallest]] < breakpoint[heap[parent]] {
                let t = heap[parent]
                heap[parent] = heap[smallest]
                heap[smallest] = t
                parent = smallest
            } else {
                return
            }
        }
    }
}
