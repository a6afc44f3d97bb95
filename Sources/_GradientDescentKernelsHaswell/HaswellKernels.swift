import _GradientDescentKernels

/// The loops of ../_GradientDescentKernels/Loops (this target's Loops folder is a symlink to
/// it) compiled with `-target-cpu haswell`. Only run where CPUID reports x86-64-v3 (AVX2, FMA,
/// BMI1/2, F16C, LZCNT, MOVBE) and the OS saves the YMM registers: see KernelDispatch.
package enum HaswellKernels: Sendable {
    package static var name: String { "haswell" }
}

typealias ModuleKernels = HaswellKernels
