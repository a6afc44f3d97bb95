/// Which gradient transform a step needs (see Loops/GradientTransform.swift), from the
/// runtime flags; each kernel switches over this once per step and runs the loop
/// specialized for the matching type.
package enum GradientTransformKind: Sendable {
    case plain, negated, decayed, negatedDecayed

    package init(maximize: Bool, weightDecay: Double) {
        switch (maximize, weightDecay != 0) {
        case (false, false): self = .plain
        case (true, false): self = .negated
        case (false, true): self = .decayed
        case (true, true): self = .negatedDecayed
        }
    }
}
