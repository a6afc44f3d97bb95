/// The step of L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995) in a box: the generalized Cauchy
/// point of the quadratic model along the projected-gradient path, then the model's
/// minimizer over the variables still free there, projected into the box. With the compact
/// form of the L-BFGS matrix,
///
///     B = θI - W M Wᵀ,   W = [Y  θS],   M = K⁻¹,   K = [[-D, Lᵀ], [L, θSᵀS]],
///
/// θ = y·y / s·y of the newest pair, D = diag(s_i·y_i), L the strictly lower part of SᵀY
/// (pairs oldest first). Written from the paper's algorithm CP and its subspace
/// minimization, with the version 3.0 choice (Morales and Nocedal 2011): the subspace step
/// is projected, and truncated instead when the projection is not a descent direction.
///
/// Products with M and the subspace system are solved by block elimination with Cholesky
/// factors of positive definite k × k blocks, never by forming an inverse: K's Schur
/// complement is T = θSᵀS + L D⁻¹ Lᵀ, and the subspace step is
///
///     d = -(1/θ) r - (1/θ²) V K̃⁻¹ Vᵀ r,   V = ZᵀW,   K̃ = K - VᵀV/θ
///       = [[-(D + YᵀZZᵀY/θ), Cᵀ], [C, θSᵀAAᵀS]],
///
/// Z the free variables, A the fixed ones, and C (k × k) the active part of SᵀY below the
/// diagonal, minus its free part on and above it. Each entry is a sum over its own set of
/// variables, so nothing cancels: on badly scaled problems (Meyer's, Powell's) this keeps
/// the step as accurate as the two-loop recursion's.
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
    // 2m-vectors (order 2k for k pairs): Y-part first, then θS-part.
    private let p, c, wb, v, u, rhs: UnsafeMutablePointer<Double>
    // m × m matrices, row-major with order k.
    /// s_a·y_b over every variable.
    private let sy: UnsafeMutablePointer<Double>
    /// The Cholesky factor of T = θSᵀS + L D⁻¹ Lᵀ.
    private let middleFactor: UnsafeMutablePointer<Double>
    /// Sums over the free variables: yᵀy, then the factor of D + YᵀZZᵀY/θ; and sᵀy.
    private let freeYY, freeSY: UnsafeMutablePointer<Double>
    /// Sums over the fixed variables: sᵀy and sᵀs, the latter then the factor of the Schur
    /// complement θSᵀAAᵀS + C (D + YᵀZZᵀY/θ)⁻¹ Cᵀ.
    private let fixedSY, fixedSS: UnsafeMutablePointer<Double>
    /// C, then C R⁻ᵀ (R the factor in freeYY).
    private let coupling, scaledCoupling: UnsafeMutablePointer<Double>
    /// The slot of the pair of each age (oldest first).
    private let slots: UnsafeMutablePointer<Int>

    init(dimension n: Int, capacity m: Int) throws(GradientDescentError) {
        let q = 2 * m
        let (nDoubles, o1) = n.multipliedReportingOverflow(by: 3)
        let (total, o2) = nDoubles.addingReportingOverflow(6 * q + 8 * m * m)
        if o1 || o2 || total > Int.max / 64 {
            throw GradientDescentError(.outOfMemory, "the bounded L-BFGS step for \(n) parameters is too large to allocate")
        }
        doubles = try CheckedAllocation.allocate(Double.self, count: total, what: "the bounded L-BFGS step")
        do {
            indices = try CheckedAllocation.allocate(Int.self, count: n + m, what: "the bounded L-BFGS step")
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
        let vectors = base + 3 * n
        p = vectors
        c = vectors + q
        wb = vectors + 2 * q
        v = vectors + 3 * q
        u = vectors + 4 * q
        rhs = vectors + 5 * q
        let matrices = vectors + 6 * q
        sy = matrices
        middleFactor = matrices + m * m
        freeYY = matrices + 2 * m * m
        freeSY = matrices + 3 * m * m
        fixedSY = matrices + 4 * m * m
        fixedSS = matrices + 5 * m * m
        coupling = matrices + 6 * m * m
        scaledCoupling = matrices + 7 * m * m
        heap = indices.baseAddress!
        slots = heap + n
    }

    deinit {
        CheckedAllocation.deallocate(doubles)
        CheckedAllocation.deallocate(indices)
    }

    /// Writes d = x̄ - x, x̄ the bounded quasi-Newton point, into `direction`. False when a
    /// factorization fails (the pairs are dependent to working precision: the caller then
    /// drops the history and asks again; with no pairs the step is the projected gradient's).
    func direction(x: UnsafePointer<Double>, gradient g: UnsafePointer<Double>, bounds: Bounds,
                   history: LBFGSHistory, into d: UnsafeMutablePointer<Double>) -> Bool {
        let n = dimension
        let k = min(history.count, capacity)
        let q = 2 * k
        let theta = k > 0 ? 1 / history.gamma : 1.0
        for age in 0..<k { slots[age] = (history.newest - (k - 1 - age) + history.capacity) % history.capacity }
        if k > 0 && !factorMiddle(history: history, pairs: k, theta: theta) { return false }

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
        for j in 0..<k {
            let slot = slots[j]
            p[j] = DenseVectors.dot(history.y(slot), pathDirection, n)
            p[k + j] = theta * DenseVectors.dot(history.s(slot), pathDirection, n)
        }
        var f1 = slope
        var f2 = -theta * slope
        if k > 0 {
            multiplyMiddle(p, into: v, pairs: k)
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
                multiplyMiddle(wb, into: v, pairs: k)
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
        var freeCount = 0
        for i in 0..<n where cauchyPoint[i] > lower[i] && cauchyPoint[i] < upper[i] { freeCount += 1 }
        if freeCount == n && k > 0 {
            // Every variable free: the model's minimizer over all of them is x - H g, the
            // same point in exact arithmetic; the two-loop recursion computes it with less
            // rounding than the compact form.
            history.direction(gradient: g, into: pathDirection)
            for i in 0..<n { pathDirection[i] += x[i] - cauchyPoint[i] }
        } else if !subspaceStep(x: x, gradient: g, bounds: bounds, history: history, pairs: k, theta: theta) {
            return false
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

    /// The model's minimizer over the variables free at the Cauchy point, minus the Cauchy
    /// point, into pathDirection (0 on the fixed variables): with r = g + θ(xcp - x) - W M c
    /// the model's gradient there, -(1/θ) r - (1/θ²) V u on the free variables.
    private func subspaceStep(x: UnsafePointer<Double>, gradient g: UnsafePointer<Double>, bounds: Bounds,
                              history: LBFGSHistory, pairs k: Int, theta: Double) -> Bool {
        let n = dimension
        let lower = bounds.lower, upper = bounds.upper
        // r on the free variables in pathDirection (NaN marks a fixed variable)
        if k > 0 { multiplyMiddle(c, into: v, pairs: k) }
        var freeCount = 0
        for i in 0..<n {
            if !(cauchyPoint[i] > lower[i] && cauchyPoint[i] < upper[i]) {
                pathDirection[i] = .nan
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
            if !solveSubspace(history: history, pairs: k, theta: theta) { return false }
        }
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
        return true
    }

    /// SᵀY into `sy` and the Cholesky factor of T = θSᵀS + L D⁻¹ Lᵀ into `middleFactor`.
    private func factorMiddle(history: LBFGSHistory, pairs k: Int, theta: Double) -> Bool {
        let n = dimension
        for a in 0..<k {
            let sa = history.s(slots[a])
            for b in 0..<k { sy[a * k + b] = DenseVectors.dot(sa, history.y(slots[b]), n) }
            for b in 0...a { middleFactor[a * k + b] = theta * DenseVectors.dot(sa, history.s(slots[b]), n) }
        }
        // L_aj = s_a·y_j for j < a
        for a in 0..<k {
            for b in 0...a {
                var sum = 0.0
                for j in 0..<b { sum += sy[a * k + j] * sy[b * k + j] / sy[j * k + j] }
                middleFactor[a * k + b] += sum
            }
        }
        return SmallCholesky.factor(middleFactor, order: k)
    }

    /// out = M w = K⁻¹ w for a 2k-vector w: with K = [[-D, Lᵀ], [L, θSᵀS]],
    /// T out₂ = w₂ + L D⁻¹ w₁ and out₁ = D⁻¹ (Lᵀ out₂ - w₁).
    private func multiplyMiddle(_ w: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, pairs k: Int) {
        for a in 0..<k {
            var sum = w[k + a]
            for j in 0..<a { sum += sy[a * k + j] * w[j] / sy[j * k + j] }
            out[k + a] = sum
        }
        SmallCholesky.solve(middleFactor, order: k, out + k)
        for a in 0..<k {
            var sum = -w[a]
            for b in (a + 1)..<max(a + 1, k) { sum += sy[b * k + a] * out[k + b] }
            out[a] = sum / sy[a * k + a]
        }
    }

    /// u = K̃⁻¹ Vᵀ r for the free variables' r in pathDirection (NaN: fixed), by block
    /// elimination: with P = D + YᵀZZᵀY/θ and the Schur complement S = θSᵀAAᵀS + C P⁻¹ Cᵀ,
    /// S u₂ = w₂ + C P⁻¹ w₁ and u₁ = P⁻¹ (Cᵀ u₂ - w₁).
    private func solveSubspace(history: LBFGSHistory, pairs k: Int, theta: Double) -> Bool {
        let n = dimension
        let q = 2 * k
        for j in 0..<(k * k) {
            freeYY[j] = 0
            freeSY[j] = 0
            fixedSY[j] = 0
            fixedSS[j] = 0
        }
        for j in 0..<q { rhs[j] = 0 }
        for i in 0..<n {
            for a in 0..<k {
                let slot = slots[a]
                wb[a] = history.y(slot)[i]
                wb[k + a] = history.s(slot)[i]
            }
            let r = pathDirection[i]
            if r.isNaN {
                for a in 0..<k {
                    let sa = wb[k + a]
                    for b in 0..<k { fixedSY[a * k + b] += sa * wb[b] }
                    for b in 0...a { fixedSS[a * k + b] += sa * wb[k + b] }
                }
            } else {
                for a in 0..<k {
                    let ya = wb[a], sa = wb[k + a]
                    rhs[a] += ya * r
                    rhs[k + a] += sa * r
                    for b in 0..<k { freeSY[a * k + b] += sa * wb[b] }
                    for b in 0...a { freeYY[a * k + b] += ya * wb[b] }
                }
            }
        }
        for a in 0..<k { rhs[k + a] *= theta }
        // P = D + YᵀZZᵀY/θ, factored in place
        for a in 0..<k {
            for b in 0...a { freeYY[a * k + b] /= theta }
            freeYY[a * k + a] += sy[a * k + a]
        }
        if !SmallCholesky.factor(freeYY, order: k) { return false }
        // C, and C R⁻ᵀ row by row (R Rᵀ = P)
        for a in 0..<k {
            for b in 0..<k {
                let entry = a > b ? fixedSY[a * k + b] : -freeSY[a * k + b]
                coupling[a * k + b] = entry
                scaledCoupling[a * k + b] = entry
            }
            SmallCholesky.solveLower(freeYY, order: k, scaledCoupling + a * k)
        }
        // S = θSᵀAAᵀS + (C R⁻ᵀ)(C R⁻ᵀ)ᵀ, factored in place
        for a in 0..<k {
            for b in 0...a {
                fixedSS[a * k + b] = theta * fixedSS[a * k + b]
                    + DenseVectors.dot(scaledCoupling + a * k, scaledCoupling + b * k, k)
            }
        }
        if !SmallCholesky.factor(fixedSS, order: k) { return false }
        // u₂ = S⁻¹ (w₂ + C P⁻¹ w₁)
        for a in 0..<k { v[a] = rhs[a] }
        SmallCholesky.solve(freeYY, order: k, v)
        for a in 0..<k { u[k + a] = rhs[k + a] + DenseVectors.dot(coupling + a * k, v, k) }
        SmallCholesky.solve(fixedSS, order: k, u + k)
        // u₁ = P⁻¹ (Cᵀ u₂ - w₁)
        for b in 0..<k {
            var sum = -rhs[b]
            for a in 0..<k { sum += coupling[a * k + b] * u[k + a] }
            u[b] = sum
        }
        SmallCholesky.solve(freeYY, order: k, u)
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
