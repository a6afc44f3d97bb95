#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic-loss pieces in forms that neither overflow nor lose the small side: at z = ±1000
/// `exp(z)` would overflow and `1 + exp(-z)` would round to 1.
enum StableFunctions {
    /// log(1 + e^z) = max(z, 0) + log1p(e^(−|z|)).
    @inline(__always)
    static func softplus(_ z: Double) -> Double {
        max(z, 0) + log1p(exp(-abs(z)))
    }

    /// 1 / (1 + e^(−z)), from e^(−|z|) so the exponential never overflows.
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        let e = exp(-abs(z))
        return z >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    @inline(__always)
    static func exponential(_ z: Double) -> Double { exp(z) }

    @inline(__always)
    static func logarithm(_ z: Double) -> Double { log(z) }
}
