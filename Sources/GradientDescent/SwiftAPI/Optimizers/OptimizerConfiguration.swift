/// An update rule of `torch.optim` with its hyper-parameters, as a value:
/// `Adam(lr: 1e-3, betas: (0.9, 0.999))`. The conforming types (``SGD``, ``Adam``,
/// ``AdamW``, ``RMSprop``, ``Adagrad``, ``Adadelta``, ``Adamax``, ``NAdam``, ``RAdam``) take
/// PyTorch's argument names in Swift spelling and PyTorch's defaults; ``LBFGS`` takes the
/// library's (history size, Wolfe constants).
///
/// Pass one to ``minimize(x:optimizer:options:progress:_:)``, or make a stateful
/// ``Optimizer`` from it with ``Optimizer/init(_:dimension:)``. Values are checked when the
/// optimizer is made: a value PyTorch's constructor rejects throws `.invalidArgument`.
public protocol OptimizerConfiguration: Sendable {
    /// The rule's name in the C ABI and in saved states ("adam").
    var ruleName: String { get }
    /// Every hyper-parameter under its key in the C ABI (PyTorch's name; `betas` split into
    /// `beta1` and `beta2`; booleans as 0 or 1).
    var hyperparameters: [(key: String, value: Double)] { get }
}

extension Bool {
    /// A boolean hyper-parameter as the core stores it.
    var hyperparameterValue: Double { self ? 1 : 0 }
}
