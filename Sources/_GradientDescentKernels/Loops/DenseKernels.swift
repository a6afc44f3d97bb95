// Compiled twice (see GradientTransform.swift). The baseline copy is package and inlinable: the
// core's data objectives inline it (compiled for the baseline); the Haswell copy is internal to
// its module, where the least-squares pass (LeastSquaresKernel.swift) inlines it as AVX2 code.

/// Dot products and updates over rows of a row-major matrix, written with explicit SIMD
/// partial sums (multiply then add, never addingProduct: without FMA in the target that is
/// a libm call per lane): a floating-point reduction does not vectorize by itself (it would need
/// reassociation); the gradient is updated from four rows at once.
#if GRADIENT_DESCENT_HASWELL_COPY
enum DenseKernels {}
#else
package enum DenseKernels {}
#endif

extension DenseKernels {
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func load(_ p: UnsafePointer<Double>, _ j: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + j).loadUnaligned(as: SIMD4<Double>.self)
    }

    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ j: Int) {
        UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// a·b over d entries.
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var j = 0
        while j + 8 <= d {
            s0 += load(a, j) * load(b, j)
            s1 += load(a, j + 4) * load(b, j + 4)
            j += 8
        }
        if j + 4 <= d {
            s0 += load(a, j) * load(b, j)
            j += 4
        }
        var s = (s0 + s1).sum()
        while j < d {
            s += a[j] * b[j]
            j += 1
        }
        return s
    }

    /// (a0·b, a1·b, a2·b, a3·b) over d entries, for four consecutive rows. Short rows
    /// (d <= 32, four rows within 1 KiB) are read interleaved, chunk by chunk, loading each
    /// chunk of b once for all four; long rows one after the other, as one sequential stream,
    /// which the hardware prefetcher follows best. Measured single-threaded: at 100000×100
    /// from memory 7.3 GB/s sequential against 4.1 GB/s interleaved; at 10000×10 (in cache)
    /// interleaved is about twice as fast.
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func dots(_ a0: UnsafePointer<Double>, _ a1: UnsafePointer<Double>,
                     _ a2: UnsafePointer<Double>, _ a3: UnsafePointer<Double>,
                     _ b: UnsafePointer<Double>, _ d: Int) -> SIMD4<Double> {
        if d <= 32 {
            return interleavedDots(a0, a1, a2, a3, b, d)
        }
        return SIMD4<Double>(dot(a0, b, d), dot(a1, b, d), dot(a2, b, d), dot(a3, b, d))
    }

    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func interleavedDots(_ a0: UnsafePointer<Double>, _ a1: UnsafePointer<Double>,
                                _ a2: UnsafePointer<Double>, _ a3: UnsafePointer<Double>,
                                _ b: UnsafePointer<Double>, _ d: Int) -> SIMD4<Double> {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        var j = 0
        while j + 4 <= d {
            let bj = load(b, j)
            s0 += load(a0, j) * bj
            s1 += load(a1, j) * bj
            s2 += load(a2, j) * bj
            s3 += load(a3, j) * bj
            j += 4
        }
        var t = SIMD4<Double>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
        while j < d {
            t += SIMD4<Double>(a0[j], a1[j], a2[j], a3[j]) * b[j]
            j += 1
        }
        return t
    }

    /// g += c·a over d entries.
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func axpy(_ g: UnsafeMutablePointer<Double>, _ c: Double, _ a: UnsafePointer<Double>, _ d: Int) {
        let cv = SIMD4<Double>(repeating: c)
        var j = 0
        while j + 4 <= d {
            store(load(g, j) + cv * load(a, j), g, j)
            j += 4
        }
        while j < d {
            g[j] += c * a[j]
            j += 1
        }
    }

    /// g += c0·a0 + c1·a1 + c2·a2 + c3·a3 over d entries: one read and write of g for four rows.
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func axpy4(_ g: UnsafeMutablePointer<Double>, _ c: SIMD4<Double>,
                      _ a0: UnsafePointer<Double>, _ a1: UnsafePointer<Double>,
                      _ a2: UnsafePointer<Double>, _ a3: UnsafePointer<Double>, _ d: Int) {
        let c0 = SIMD4<Double>(repeating: c[0]), c1 = SIMD4<Double>(repeating: c[1])
        let c2 = SIMD4<Double>(repeating: c[2]), c3 = SIMD4<Double>(repeating: c[3])
        var j = 0
        while j + 4 <= d {
            var v = load(g, j)
            v += c0 * load(a0, j)
            v += c1 * load(a1, j)
            v += c2 * load(a2, j)
            v += c3 * load(a3, j)
            store(v, g, j)
            j += 4
        }
        while j < d {
            g[j] += c[0] * a0[j] + c[1] * a1[j] + c[2] * a2[j] + c[3] * a3[j]
            j += 1
        }
    }

    /// ||v||² over d entries.
    #if !GRADIENT_DESCENT_HASWELL_COPY
    @inlinable
    #endif
    @inline(__always)
    package static func squaredNorm(_ v: UnsafePointer<Double>, _ d: Int) -> Double {
        dot(v, v, d)
    }
}
