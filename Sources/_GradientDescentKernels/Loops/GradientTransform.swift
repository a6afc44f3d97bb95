// Compiled twice: into _GradientDescentKernels (portable x86-64) and, through a symlinked
// folder, into _GradientDescentKernelsHaswell. Everything here is internal to each copy, so
// each copy's loops inline their own helpers and no specialization is shared between them.
// The Haswell copy is built with GRADIENT_DESCENT_HASWELL_COPY defined and imports the step
// types from the baseline module, where they are declared once.
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

/// What every torch.optim rule does to the gradient first, as PyTorch orders it: negate it when
/// maximizing, then add weight_decay * x (L2). One type per combination, so that a kernel
/// generic over it is specialized into a loop without branches.
protocol GradientTransform {
    static func apply(_ g: Double, x: Double, weightDecay: Double) -> Double
}

/// g
enum PlainGradient: GradientTransform {
    @inline(__always)
    static func apply(_ g: Double, x: Double, weightDecay: Double) -> Double { g }
}

/// -g (maximize)
enum NegatedGradient: GradientTransform {
    @inline(__always)
    static func apply(_ g: Double, x: Double, weightDecay: Double) -> Double { -g }
}

/// g + weight_decay * x, as `grad.add(param, alpha=weight_decay)`
enum DecayedGradient: GradientTransform {
    @inline(__always)
    static func apply(_ g: Double, x: Double, weightDecay: Double) -> Double { g + weightDecay * x }
}

/// -g + weight_decay * x (maximize, then L2)
enum NegatedDecayedGradient: GradientTransform {
    @inline(__always)
    static func apply(_ g: Double, x: Double, weightDecay: Double) -> Double { -g + weightDecay * x }
}

/// A flag known at compile time, so that `if Flag.isOn` disappears from a specialized loop.
protocol StaticFlag {
    static var isOn: Bool { get }
}

enum FlagOn: StaticFlag {
    @inline(__always) static var isOn: Bool { true }
}

enum FlagOff: StaticFlag {
    @inline(__always) static var isOn: Bool { false }
}

/// A step whose loop is generic over its gradient transform: `runSpecialized(for:)` makes the
/// one switch of a step over the runtime flags and calls the matching specialization.
protocol TransformSpecializedStep {
    func run<G: GradientTransform>(_: G.Type)
}

extension TransformSpecializedStep {
    @inline(__always)
    func runSpecialized(for kind: GradientTransformKind) {
        switch kind {
        case .plain: run(PlainGradient.self)
        case .negated: run(NegatedGradient.self)
        case .decayed: run(DecayedGradient.self)
        case .negatedDecayed: run(NegatedDecayedGradient.self)
        }
    }
}
