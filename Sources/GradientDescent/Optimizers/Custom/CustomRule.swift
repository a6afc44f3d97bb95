/// An update rule supplied from outside the library: a function that updates x in place from
/// the gradient, the learning rate, the step count and a state buffer the library keeps.
///
/// The state holds `stateSize` doubles per parameter as `stateSize` blocks of `dimension`
/// doubles (block j is `state[j * dimension ..< (j + 1) * dimension]`), zero when the
/// optimizer is created or reset, saved and loaded with the optimizer's checkpoint. The rule
/// has one hyper-parameter, "lr" (default 0.001), which schedules drive like a built-in's.
public struct CustomRule: Sendable {
    /// x (in place), gradient, lr, step t (1 on the first update) and the state buffer
    /// (empty when `stateSize` is 0). Throw to abort: the run stops with the error's status.
    public typealias Update = @Sendable (
        _ x: UnsafeMutableBufferPointer<Double>, _ gradient: UnsafeBufferPointer<Double>,
        _ learningRate: Double, _ step: Int, _ state: UnsafeMutableBufferPointer<Double>
    ) throws(GradientDescentError) -> Void

    /// The name it registers under.
    public let name: String
    /// State doubles per parameter.
    public let stateSize: Int
    let update: Update

    /// Longest accepted name, in UTF-8 bytes.
    public static let maximumNameLength = 64

    /// A rule; `.invalidArgument` for an empty or too long name or a state size outside [0, 2^20].
    public init(name: String, stateSize: Int, update: @escaping Update) throws(GradientDescentError) {
        if name.isEmpty || name.utf8.count > CustomRule.maximumNameLength {
            throw GradientDescentError(.invalidArgument,
                "a rule name must have 1 to \(CustomRule.maximumNameLength) bytes, got \(name.utf8.count)")
        }
        if stateSize < 0 || stateSize > 1 << 20 {
            throw GradientDescentError(.invalidArgument, "state_size must be in [0, 2^20], got \(stateSize)")
        }
        self.name = name
        self.stateSize = stateSize
        self.update = update
    }
}

/// The UpdateRule that runs a CustomRule.
struct CallbackUpdateRule: UpdateRule {
    let custom: CustomRule

    init(_ custom: CustomRule) { self.custom = custom }

    var name: String { custom.name }

    var hyperparameters: [Hyperparameter] { [Hyperparameter("lr", 1e-3, .nonNegative)] }

    var stateLayout: OptimizerState.Layout {
        OptimizerState.Layout(buffers: custom.stateSize > 0 ? ["state"] : [],
                              elementsPerParameter: max(1, custom.stateSize))
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters h: Hyperparameters, state: OptimizerState) throws(GradientDescentError) {
        let buffer = custom.stateSize > 0
            ? UnsafeMutableBufferPointer(start: state[buffer: 0], count: state.bufferLength)
            : UnsafeMutableBufferPointer(start: nil, count: 0)
        try custom.update(UnsafeMutableBufferPointer(start: x, count: count),
                          UnsafeBufferPointer(start: gradient, count: count),
                          h.values[0], state.stepCount, buffer)
    }
}
