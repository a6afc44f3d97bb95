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

/// Which transform a step needs, from the runtime flags; each rule switches over this once
/// per step and calls its kernel specialized for the matching type.
enum GradientTransformKind {
    case plain, negated, decayed, negatedDecayed

    init(maximize: Bool, weightDecay: Double) {
        switch (maximize, weightDecay != 0) {
        case (false, false): self = .plain
        case (true, false): self = .negated
        case (false, true): self = .decayed
        case (true, true): self = .negatedDecayed
        }
    }
}
