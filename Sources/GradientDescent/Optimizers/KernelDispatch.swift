#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import _CPUFeatures
import _GradientDescentKernels
import _GradientDescentKernelsHaswell

/// The update rules' loops for this process: compiled for Haswell (AVX2) when the CPU has
/// every x86-64-v3 feature and the OS saves YMM state, else compiled for the x86-64 baseline.
/// Chosen once, at the first step of any optimizer; both sets compute the same bits. A build
/// without the Haswell flags (a SwiftPM dependency) always uses the baseline set.
///
/// `GRADIENT_DESCENT_KERNELS=baseline` forces the portable set (to compare, or to rule the
/// wider one out); `=haswell` is honoured only where the CPU supports it.
enum KernelDispatch {
    static let kernels: any UpdateKernels.Type = select()

    /// The loops this process uses: "baseline" or "haswell".
    static var name: String { kernels.name }

    /// Whether the Haswell set can run here.
    static let haswellSupported: Bool = gradient_descent_cpu_has_x86_64_v3() != 0

    private static func select() -> any UpdateKernels.Type {
        if let requested = getenv("GRADIENT_DESCENT_KERNELS"), String(cString: requested) == "baseline" {
            return BaselineKernels.self
        }
        return haswellSupported && HaswellKernels.isCompiledForHaswell ? HaswellKernels.self : BaselineKernels.self
    }
}
