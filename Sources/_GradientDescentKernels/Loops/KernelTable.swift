// Compiled twice (see GradientTransform.swift): each copy's `ModuleKernels` names the set
// declared next to it (BaselineKernels or HaswellKernels) and lists that copy's loops.
#if GRADIENT_DESCENT_HASWELL_COPY
import _GradientDescentKernels
#endif

extension ModuleKernels: UpdateKernels {
    package static func adam(_ step: AdamStep) { step.run() }
    package static func sgd(_ step: SGDStep) { step.run() }
    package static func rmsprop(_ step: RMSpropStep) { step.run() }
    package static func adagrad(_ step: AdagradStep) { step.run() }
    package static func adadelta(_ step: AdadeltaStep) { step.run() }
    package static func adamax(_ step: AdamaxStep) { step.run() }
    package static func nadam(_ step: NAdamStep) { step.run() }
    package static func radam(_ step: RAdamStep) { step.run() }
    package static func rprop(_ step: RpropStep) { step.run() }
    package static func asgd(_ step: ASGDStep) { step.run() }
    package static func leastSquares(_ pass: LeastSquaresPass) -> Double { pass.run() }
}
