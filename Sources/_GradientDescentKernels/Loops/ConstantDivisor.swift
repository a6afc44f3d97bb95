// Compiled twice (see GradientTransform.swift).

/// Division by a value that is constant over a step's loop (a bias correction), with the bits
/// of `a / divisor`.
///
/// In the Haswell copy the quotient is q = a * y with y = RN(1 / divisor), corrected once with
/// two fused multiply-adds: r = a - q * divisor (exact) and RN(q + r * y). By Markstein's
/// theorem (y within half an ulp of 1 / divisor, q within one ulp of a / divisor) the result is
/// the correctly rounded quotient, the same double that `/` gives, as long as nothing
/// underflows: callers divide only values with |a| >= 2^-600 or a = 0 (a square root of a
/// non-negative double is 0 or >= 2^-537), by a divisor in [2^-30, 1]. A non-finite `a` makes
/// r NaN and takes q, which is then already a / divisor. This frees the divider, which the
/// square root and the remaining per-element division keep busy: Adam's step goes from three
/// divider operations per element to two. The baseline copy (no FMA instruction) divides.
struct ConstantDivisor {
    let divisor: Double
    let reciprocal: Double

    @inline(__always)
    init(_ divisor: Double) {
        self.divisor = divisor
        self.reciprocal = 1 / divisor
    }

    @inline(__always)
    func divide(_ a: Double) -> Double {
        #if GRADIENT_DESCENT_HASWELL_COPY
        let q = a * reciprocal
        let r = a.addingProduct(-q, divisor)
        // r is NaN exactly when a is infinite (inf - inf) or NaN; q is then the quotient.
        return r.isNaN ? q : q.addingProduct(r, reciprocal)
        #else
        return a / divisor
        #endif
    }
}
