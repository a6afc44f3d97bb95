import _GradientDescentKernels

/// The loops of ../_GradientDescentKernels/Loops (this target's Loops folder is a symlink to
/// it) compiled with `-target-cpu haswell`. Only run where CPUID reports x86-64-v3 (AVX2, FMA,
/// BMI1/2, F16C, LZCNT, MOVBE) and the OS saves the YMM registers: see KernelDispatch.
package enum HaswellKernels: Sendable {
    package static var name: String { "haswell" }

    /// Whether this copy was really compiled for Haswell. Only the shipped library's build
    /// passes `-target-cpu haswell` (an unsafe flag, kept out of a dependency's build); without it
    /// these are baseline loops and KernelDispatch keeps the baseline set.
    #if GRADIENT_DESCENT_HASWELL_TUNED
    package static var isCompiledForHaswell: Bool { true }
    #else
    package static var isCompiledForHaswell: Bool { false }
    #endif
}

typealias ModuleKernels = HaswellKernels
