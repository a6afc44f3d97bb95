/// torch.optim's constructor defaults, copied from PyTorch's documentation (betas split into
/// beta1 and beta2, booleans as 0 or 1), in the order of the constructors' arguments.
/// The tests compare the library against this table and build their references from it.
enum PyTorchDefaults {
    static let table: [String: KeyValuePairs<String, Double>] = [
        "sgd": ["lr": 1e-3, "momentum": 0, "dampening": 0, "nesterov": 0, "weight_decay": 0, "maximize": 0],
        "adam": ["lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "amsgrad": 0, "maximize": 0, "decoupled_weight_decay": 0],
        "adamw": ["lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": 0, "maximize": 0],
        "rmsprop": ["lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0, "momentum": 0, "centered": 0, "maximize": 0],
        "adagrad": ["lr": 1e-2, "lr_decay": 0, "weight_decay": 0, "initial_accumulator_value": 0, "eps": 1e-10, "maximize": 0],
        "adadelta": ["lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0, "maximize": 0],
        "adamax": ["lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "maximize": 0],
        "nadam": ["lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "momentum_decay": 4e-3, "maximize": 0, "decoupled_weight_decay": 0],
        "radam": ["lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "maximize": 0, "decoupled_weight_decay": 0],
        // etas and step_sizes split, as betas are.
        "rprop": ["lr": 1e-2, "etaminus": 0.5, "etaplus": 1.2, "step_size_min": 1e-6, "step_size_max": 50, "maximize": 0],
        "asgd": ["lr": 1e-2, "lambd": 1e-4, "alpha": 0.75, "t0": 1e6, "weight_decay": 0, "maximize": 0],
    ]

    /// The defaults of `rule` with `overrides` applied.
    static func settings(_ rule: String, _ overrides: [String: Double]) -> [String: Double] {
        var result: [String: Double] = [:]
        for (key, value) in table[rule]! { result[key] = value }
        for (key, value) in overrides {
            precondition(result[key] != nil, "test asks for unknown key \(key) of \(rule)")
            result[key] = value
        }
        return result
    }
}
