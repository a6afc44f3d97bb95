#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gradient clipping as PyTorch's torch.nn.utils does it, applied by a run before each update.
///
///     by norm (clip_grad_norm_):   total = ‖g‖_p; coef = max_norm / (total + 1e-6);
///                                  g = g · min(coef, 1)
///     by value (clip_grad_value_): g_i = min(max(g_i, −clip_value), clip_value)
///
/// p is norm_type: any p > 0, or infinity (max |g_i|). When both are set the norm is clipped
/// first, then the values (the order Keras uses). With errorIfNonfinite a non-finite total
/// norm is an error instead of a scale (torch's error_if_nonfinite).
public struct GradientClipping: Sendable, Equatable {
    /// The largest norm a gradient keeps; 0 turns norm clipping off.
    public var maxNorm: Double
    /// The largest magnitude an entry keeps; 0 turns value clipping off.
    public var maxValue: Double
    /// The p of the norm: > 0, or +infinity. 2 by default.
    public var normType: Double
    /// A non-finite total norm fails the run (`.nonFinite`) instead of scaling by it.
    public var errorIfNonfinite: Bool

    /// Clipping with the given limits (0 leaves that kind off), norm type and non-finite rule.
    public init(maxNorm: Double = 0, maxValue: Double = 0, normType: Double = 2,
                errorIfNonfinite: Bool = false) {
        self.maxNorm = maxNorm
        self.maxValue = maxValue
        self.normType = normType
        self.errorIfNonfinite = errorIfNonfinite
    }

    /// True when either limit is set.
    public var isEnabled: Bool { maxNorm > 0 || maxValue > 0 }

    /// Rejects a negative, NaN or infinite limit with `.invalidArgument`.
    public func validate() throws(GradientDescentError) {
        if !(maxNorm >= 0) || maxNorm.isInfinite {
            throw GradientDescentError(.invalidArgument, "clip_norm must be finite and >= 0 (0 = off), got \(maxNorm)")
        }
        if !(maxValue >= 0) || maxValue.isInfinite {
            throw GradientDescentError(.invalidArgument, "clip_value must be finite and >= 0 (0 = off), got \(maxValue)")
        }
        try GradientClipping.checkNormType(normType)
    }

    /// norm_type must be > 0 (finite) or +infinity.
    public static func checkNormType(_ normType: Double) throws(GradientDescentError) {
        if !(normType > 0) {
            throw GradientDescentError(.invalidArgument, "clip_norm_type must be > 0 or +infinity, got \(normType)")
        }
    }

    /// Clips `gradient` in place as a run does, given its L2 norm (which the run measured
    /// already). Returns whether any entry changed; throws `.nonFinite` when the total norm is
    /// not finite and errorIfNonfinite is set (the gradient is unchanged then).
    public func clip(_ gradient: UnsafeMutableBufferPointer<Double>, l2Norm: Double) throws(GradientDescentError) -> Bool {
        var changed = false
        if maxNorm > 0 {
            // torch's total for p = 2 is sqrt(s·s) of the tensor's norm s: +infinity once s²
            // overflows (s > 1.3e154), which torch then scales by 0 or reports.
            let total = normType == 2 ? (l2Norm * l2Norm).squareRoot()
                                      : GradientClipping.totalNorm(UnsafeBufferPointer(gradient), normType: normType)
            if errorIfNonfinite && !total.isFinite {
                throw GradientDescentError(.nonFinite,
                    "the total norm of order \(normType) of the gradient is \(total), so it cannot be clipped (clip_error_if_nonfinite)")
            }
            changed = GradientClipping.clipNorm(gradient, norm: total, maxNorm: maxNorm)
        }
        if maxValue > 0 {
            changed = GradientClipping.clipValues(gradient, maxValue: maxValue) || changed
        }
        return changed
    }

    /// torch's total norm of one tensor: ‖g‖_p of the entries, then the norm of that one-entry
    /// list (`vector_norm(stack([norm]), p)`), which for a general p rounds once more:
    ///
    ///     p = inf: max |g_i|           p = 1: Σ |g_i|          p = 2: sqrt(s·s), s = sqrt(Σ g_i²)
    ///     other p: t = (Σ |g_i|^p)^(1/p), then (t^p)^(1/p)
    ///
    /// A NaN entry gives NaN; overflow gives +infinity, as in torch.
    public static func totalNorm(_ gradient: UnsafeBufferPointer<Double>, normType p: Double) -> Double {
        if p == .infinity {
            var largest = 0.0
            for value in gradient {
                let magnitude = abs(value)
                if magnitude.isNaN { return .nan }
                largest = max(largest, magnitude)
            }
            return largest
        }
        if p == 1 {
            var sum = 0.0
            for value in gradient { sum += abs(value) }
            return sum
        }
        if p == 2 {
            let local = VectorKernels.norm(gradient)
            return (local * local).squareRoot()
        }
        var sum = 0.0
        for value in gradient { sum += pow(abs(value), p) }
        let local = pow(sum, 1 / p)
        return pow(pow(local, p), 1 / p)
    }

    /// Clips `gradient` in place, given its L2 norm; true when any entry changed.
    @discardableResult
    public func apply(_ gradient: UnsafeMutableBufferPointer<Double>, norm: Double) -> Bool {
        var changed = false
        if maxNorm > 0 {
            changed = GradientClipping.clipNorm(gradient, norm: norm, maxNorm: maxNorm)
        }
        if maxValue > 0 {
            changed = GradientClipping.clipValues(gradient, maxValue: maxValue) || changed
        }
        return changed
    }

    /// The L2 norm the run measures (the same kernel, so the same bits).
    public static func norm(_ gradient: UnsafeBufferPointer<Double>) -> Double {
        VectorKernels.norm(gradient)
    }

    /// clip_grad_norm_ given the total norm: g · min(coef, 1), where multiplying by 1 is
    /// skipped (it changes nothing) and a NaN coefficient (a NaN norm) scales by NaN as torch's
    /// clamp does. True when the gradient was scaled.
    @discardableResult
    public static func clipNorm(_ gradient: UnsafeMutableBufferPointer<Double>, norm: Double,
                                maxNorm: Double) -> Bool {
        let coefficient = maxNorm / (norm + 1e-6)
        guard coefficient < 1 || coefficient.isNaN else { return false }
        for i in gradient.indices {
            gradient[i] *= coefficient
        }
        return true
    }

    /// clip_grad_value_; true when any entry was clamped. A NaN entry stays NaN (torch.clamp).
    /// Branch-free with an unconditional store, so the loop vectorizes.
    @discardableResult
    public static func clipValues(_ gradient: UnsafeMutableBufferPointer<Double>, maxValue: Double) -> Bool {
        guard let g = gradient.baseAddress else { return false }
        let high = maxValue, low = -maxValue
        var clamped: UInt64 = 0
        for i in 0..<gradient.count {
            let value = g[i]
            let bounded = value > high ? high : (value < low ? low : value)
            clamped |= bounded.bitPattern ^ value.bitPattern
            g[i] = bounded
        }
        return clamped != 0
    }
}
