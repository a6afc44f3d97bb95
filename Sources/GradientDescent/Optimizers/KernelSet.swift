/// Which compiled set of update loops this process runs, for callers that report it
/// (the C ABI's gd_kernel_set).
package enum KernelSet {
    /// "haswell" (x86-64-v3: AVX2, FMA) or "baseline" (the x86-64 baseline, SSE2).
    package static var name: String { KernelDispatch.name }
}
