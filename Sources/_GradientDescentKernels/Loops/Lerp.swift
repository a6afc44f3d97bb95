// Compiled twice (see GradientTransform.swift).

/// `a.lerp_(b, weight)` as ATen computes it per element: a + w * (b - a) when |w| < 0.5,
/// else b - (b - a) * (1 - w). torch.optim uses it for first moments (weight 1 - beta1).
/// The branch depends only on the weight, so a step picks the form once and the kernel is
/// specialized for it.
protocol LerpForm {
    static func lerp(_ a: Double, _ b: Double, _ weight: LerpWeight) -> Double
}

/// A lerp weight and its complement, computed once per step.
struct LerpWeight {
    var weight: Double
    var oneMinusWeight: Double

    init(_ weight: Double) {
        self.weight = weight
        self.oneMinusWeight = 1 - weight
    }

    /// ATen's test for the first form.
    var isSmall: Bool { weight.magnitude < 0.5 }
}

enum SmallWeightLerp: LerpForm {
    @inline(__always)
    static func lerp(_ a: Double, _ b: Double, _ weight: LerpWeight) -> Double {
        a + weight.weight * (b - a)
    }
}

enum LargeWeightLerp: LerpForm {
    @inline(__always)
    static func lerp(_ a: Double, _ b: Double, _ weight: LerpWeight) -> Double {
        b - (b - a) * weight.oneMinusWeight
    }
}
