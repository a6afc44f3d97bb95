/// One compiled set of the update rules' loops, and of the least-squares full pass.
///
/// The loops (Loops/*.swift) are compiled twice from the same files: here for the portable
/// x86-64 baseline (SSE2, runs on every x86-64 CPU), and in _GradientDescentKernelsHaswell
/// with `-target-cpu haswell` (AVX2, 4 doubles per instruction). GradientDescent picks one set
/// once per process from the CPU's features (KernelDispatch). Both sets compute the same bits:
/// Swift never contracts a * b + c into an FMA, nor reassociates, so the wider registers change
/// only how many elements an instruction handles.
package protocol UpdateKernels: Sendable {
    /// "baseline" or "haswell".
    static var name: String { get }
    static func adam(_ step: AdamStep)
    static func sgd(_ step: SGDStep)
    static func rmsprop(_ step: RMSpropStep)
    static func adagrad(_ step: AdagradStep)
    static func adadelta(_ step: AdadeltaStep)
    static func adamax(_ step: AdamaxStep)
    static func nadam(_ step: NAdamStep)
    static func radam(_ step: RAdamStep)
    static func rprop(_ step: RpropStep)
    static func asgd(_ step: ASGDStep)
    /// A least-squares pass over contiguous rows (see LeastSquaresPass).
    static func leastSquares(_ pass: LeastSquaresPass) -> Double
}

/// The loops compiled for the x86-64 baseline (or the host's baseline off x86).
package enum BaselineKernels: Sendable {
    package static var name: String { "baseline" }
}

typealias ModuleKernels = BaselineKernels
