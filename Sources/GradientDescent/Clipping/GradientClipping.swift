/// Gradient clipping as PyTorch's torch.nn.utils does it, applied by a run before each update.
///
///     by norm (clip_grad_norm_, L2): coef = max_norm / (‖g‖₂ + 1e-6); if coef < 1: g = g · coef
///     by value (clip_grad_value_):   g_i = min(max(g_i, −clip_value), clip_value)
///
/// When both are set the norm is clipped first, then the values (the order Keras uses).
public struct GradientClipping: Sendable, Equatable {
    /// The largest L2 norm a gradient keeps; 0 turns norm clipping off.
    public var maxNorm: Double
    /// The largest magnitude an entry keeps; 0 turns value clipping off.
    public var maxValue: Double

    /// Clipping with the given limits; 0 leaves that kind off.
    public init(maxNorm: Double = 0, maxValue: Double = 0) {
        self.maxNorm = maxNorm
        self.maxValue = maxValue
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

    /// clip_grad_norm_ given the norm; true when the gradient was scaled.
    @discardableResult
    public static func clipNorm(_ gradient: UnsafeMutableBufferPointer<Double>, norm: Double,
                                maxNorm: Double) -> Bool {
        let coefficient = maxNorm / (norm + 1e-6)
        guard coefficient < 1 else { return false }
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
