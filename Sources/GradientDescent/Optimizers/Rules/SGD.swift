import _GradientDescentKernels

/// torch.optim.SGD (single-tensor path): momentum, dampening, nesterov, weight_decay, maximize.
///
///     g = (maximize ? -grad : grad) + weight_decay * x
///     if momentum != 0:
///         buf = first step with momentum ? g : momentum * buf + (1 - dampening) * g
///         g = nesterov ? g + momentum * buf : buf
///     x = x + (-lr) * g
struct SGDRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, momentum, dampening, nesterov, weightDecay, maximize
    }

    private enum Buffer: Int { case momentum }
    private enum Scalar: Int { case momentumBufferStarted }

    var name: String { "sgd" }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1e-3, .nonNegative)
            case .momentum: Hyperparameter("momentum", 0, .nonNegative)
            case .dampening: Hyperparameter("dampening", 0, .finite)
            case .nesterov: Hyperparameter("nesterov", 0, .boolean)
            case .weightDecay: Hyperparameter("weight_decay", 0, .nonNegative)
            case .maximize: Hyperparameter("maximize", 0, .boolean)
            }
        }
    }

    // PyTorch creates the momentum buffer on the first step that uses momentum, as a copy of
    // the gradient; the flag records whether that has happened.
    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: ["momentum_buffer"],
                              scalars: [("momentum_buffer_started", 0)])
    }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        if h.flag(Key.nesterov) && (h[Key.momentum] <= 0 || h[Key.dampening] != 0) {
            throw GradientDescentError(
                .invalidArgument,
                "nesterov requires momentum > 0 and dampening = 0, got momentum \(h[Key.momentum]) and dampening \(h[Key.dampening])")
        }
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) {
        let momentum = h[Key.momentum]
        var started = false
        if momentum != 0 {
            started = state[scalar: Scalar.momentumBufferStarted.rawValue] != 0
            state[scalar: Scalar.momentumBufferStarted.rawValue] = 1
        }
        KernelDispatch.kernels.sgd(SGDStep(
            x: x, gradient: gradient, buffer: state[buffer: Buffer.momentum.rawValue], count: count,
            transform: GradientTransformKind(maximize: h.flag(Key.maximize), weightDecay: h[Key.weightDecay]),
            negativeLR: -h[Key.lr], weightDecay: h[Key.weightDecay],
            momentum: momentum, gradientWeight: 1 - h[Key.dampening],
            useMomentum: momentum != 0, started: started, nesterov: h.flag(Key.nesterov)))
    }
}
