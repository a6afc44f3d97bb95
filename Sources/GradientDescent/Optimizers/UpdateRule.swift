/// An update rule: the per-element arithmetic of one torch.optim algorithm.
///
/// The optimizer holds one rule behind this protocol and calls it once per step (one dynamic
/// dispatch); inside, a rule picks a kernel specialized for its flags, so the loops over
/// elements carry no branches. A rule keeps nothing itself: hyper-parameters live in
/// `Hyperparameters` and moments in `OptimizerState`, which is what makes save/load and rules
/// supplied from outside (callbacks) possible without touching the built-in ones.
protocol UpdateRule {
    /// The rule's name as `Optimizer.ruleNames` spells it.
    var name: String { get }
    /// Keys, defaults and domains, in a stable order; the first key is always "lr".
    var hyperparameters: [Hyperparameter] { get }
    /// The buffers and scalars the rule keeps between steps.
    var stateLayout: OptimizerState.Layout { get }

    /// Combinations of values that PyTorch's constructor rejects (single values are checked
    /// when set).
    func validate(_ hyperparameters: Hyperparameters) throws(GradientDescentError)

    /// One update of `x[0..<count]` from `gradient[0..<count]`. `state.stepCount` has already
    /// been advanced, so it is the t of the published formulas. Built-in rules never throw
    /// (a non-throwing method satisfies this requirement); a custom rule's callback may.
    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters: Hyperparameters, state: OptimizerState) throws(GradientDescentError)
}

extension UpdateRule {
    func validate(_ hyperparameters: Hyperparameters) throws(GradientDescentError) {}
}

/// An update rule's `update` as a closure. Made where the rule's concrete type is known
/// (`UpdateRule.updateStep`), it is specialized for that type: a step calls the rule's code
/// directly instead of projecting an existential and going through its witness table.
typealias UpdateStep = (_ x: UnsafeMutablePointer<Double>, _ gradient: UnsafePointer<Double>, _ count: Int,
                        _ hyperparameters: Hyperparameters, _ state: OptimizerState) throws(GradientDescentError) -> Void

extension UpdateRule {
    var updateStep: UpdateStep {
        { (x, gradient, count, hyperparameters, state) throws(GradientDescentError) in
            try update(x, gradient: gradient, count: count, hyperparameters: hyperparameters, state: state)
        }
    }
}
