// Compiled twice (see GradientTransform.swift).
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension NAdamStep: TransformSpecializedStep {
    /// Runs the loop specialized for this step's flags.
    @inline(__always)
    func run() { runSpecialized(for: transform) }

    @inline(__always)
    func run<G: GradientTransform>(_: G.Type) {
        // Where eps >= 2^-200 and the bias correction is in ConstantDivisor's range, only the
        // quotients that ConstantDivisor gets exactly reach the denominator's bits (see
        // secondMomentQuotient); elsewhere v is divided.
        let constantQuotient = eps >= 0x1p-200 && biasCorrection2 >= 0x1p-30 && biasCorrection2 <= 1
        switch (LerpWeight(firstMomentWeight).isSmall, constantQuotient) {
        case (true, true): kernel(G.self, SmallWeightLerp.self, FlagOn.self)
        case (true, false): kernel(G.self, SmallWeightLerp.self, FlagOff.self)
        case (false, true): kernel(G.self, LargeWeightLerp.self, FlagOn.self)
        case (false, false): kernel(G.self, LargeWeightLerp.self, FlagOff.self)
        }
    }

    /// v / divisor, with the bits of `/` wherever they can reach sqrt(v / divisor) + eps for
    /// eps >= 2^-200 and a divisor in [2^-30, 1], through ConstantDivisor (no divider work):
    /// v above 2^900 is scaled by 2^-200 into ConstantDivisor's range and back (powers of two:
    /// exact, and an overflow is the quotient's own); v in [2^-600, 2^900] is ConstantDivisor's
    /// range. Below 2^-600 the quotient is below 2^-570, its square root below 2^-285: less than
    /// half an ulp of eps, so it vanishes in the sum whatever its last bits, as long as its sign
    /// is the quotient's (a negative quotient's square root is the default NaN either way).
    @inline(__always)
    static func secondMomentQuotient(_ v: Double, _ divisor: ConstantDivisor) -> Double {
        let large = v > 0x1p900
        let quotient = divisor.divide(large ? v * 0x1p-200 : v)
        let scaled = large ? quotient * 0x1p200 : quotient
        if v < 0 { return min(scaled, -0x1p-1074) }
        return scaled < 0 ? 0 : scaled
    }

    private func kernel<G: GradientTransform, L: LerpForm, ConstantQuotient: StaticFlag>(
        _: G.Type, _: L.Type, _: ConstantQuotient.Type
    ) {
        let x = x, gradient = gradient, expAvg = expAvg, expAvgSq = expAvgSq
        let weightDecay = weightDecay, firstMomentWeight = LerpWeight(firstMomentWeight)
        let beta2 = beta2, oneMinusBeta2 = oneMinusBeta2
        let biasCorrection2 = biasCorrection2, eps = eps
        let divisor = ConstantDivisor(biasCorrection2)
        let gradientCoefficient = gradientCoefficient, momentCoefficient = momentCoefficient
        for i in 0..<count {
            let xi = x[i]
            let g = G.apply(gradient[i], x: xi, weightDecay: weightDecay)
            let m = L.lerp(expAvg[i], g, firstMomentWeight)
            expAvg[i] = m
            let v = expAvgSq[i] * beta2 + oneMinusBeta2 * g * g
            expAvgSq[i] = v
            let quotient = ConstantQuotient.isOn ? NAdamStep.secondMomentQuotient(v, divisor) : v / biasCorrection2
            let denominator = quotient.squareRoot() + eps
            // Two addcdiv_ calls in PyTorch: the gradient term lands in x first.
            let partial = xi + gradientCoefficient * g / denominator
            x[i] = partial + momentCoefficient * m / denominator
        }
    }
}
