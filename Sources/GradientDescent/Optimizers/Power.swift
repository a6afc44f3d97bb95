#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// x ** y as Python evaluates a float power (C's pow), so that bias corrections such as
/// `1 - beta1 ** step` and `bias_correction2 ** 0.5` have the bits torch.optim computes.
@inline(__always)
func power(_ x: Double, _ y: Double) -> Double {
    pow(x, y)
}
