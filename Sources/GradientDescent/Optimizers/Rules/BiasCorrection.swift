/// `1 - beta ** t`, a bias correction, with the bits of `1 - pow(beta, t)`, without calling
/// pow once beta^t is too small to change the difference.
///
/// For 0 <= beta < 1, ln(beta) <= beta - 1, so beta^t <= e^(-t (1 - beta)). When
/// t (1 - beta) >= 40 that is below 2^-57, pow's result (within an ulp of it) is too, and
/// 1 - x rounds to exactly 1 for every 0 <= x <= 2^-54. Long runs then skip pow, whose
/// underflow path is slow (beta1^t reaches the subnormals after about 7,000 steps at 0.9):
/// at n = 2 the two pow calls cost more than the rest of an Adam step.
@inline(__always)
func biasCorrection(_ beta: Double, _ t: Double) -> Double {
    if t * (1 - beta) >= 40 { return 1 }
    return 1 - power(beta, t)
}

/// `bias_correction ** 0.5` as torch.optim computes it (pow), skipping pow for the
/// correction that has reached 1 (pow(1, y) is exactly 1).
@inline(__always)
func squareRootOfBiasCorrection(_ correction: Double) -> Double {
    correction == 1 ? 1 : power(correction, 0.5)
}
