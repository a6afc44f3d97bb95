/// Minimizes the closure `function` from `x`, updating `x` in place with `optimizer`:
///
/// ```swift
/// var x = [0.0, 0.0]
/// let report = try minimize(x: &x, optimizer: Adam(lr: 0.1),
///                           options: MinimizeOptions(gradientTolerance: 1e-8)) { x, gradient in
///     gradient[0] = x[0] - 1; gradient[1] = x[1] + 2
///     return 0.5 * (gradient[0] * gradient[0] + gradient[1] * gradient[1])
/// }
/// ```
///
/// `function` returns f(x) and writes ∇f(x) into `gradient` (x.count entries, all 0 on entry).
/// `progress`, when given, is called after every update and can stop the run.
/// Throws ``MinimizeError``: `.invalidArgument` before anything ran (x unchanged), or
/// `.functionThrew` / `.runFailed` with x at the last iterate whose loss and gradient were
/// finite. The returned report says why the run stopped (`report.stopReason`).
@discardableResult
public func minimize(x: inout [Double],
                     optimizer: some OptimizerConfiguration,
                     options: MinimizeOptions = MinimizeOptions(),
                     progress: ((RunProgress) -> ProgressAction)? = nil,
                     _ function: (_ x: [Double], _ gradient: inout [Double]) throws -> Double) throws(MinimizeError) -> Report {
    let dimension = x.count
    let result = withoutActuallyEscaping(function) { function in
        let objective = ArrayFunctionObjective(dimension: dimension, function: function)
        return runMinimization(objective, x: &x, optimizer: optimizer, options: options, progress: progress) {
            objective.thrown
        }
    }
    return try result.get()
}

/// Minimizes a loss over `samples` data samples in mini-batches: with
/// `options.batchSize = k` every epoch visits each sample once in batches of k (shuffled by
/// `options.seed`), and `function` returns the mean loss over `batch` (sample indices below
/// `samples`) and writes the mean gradient. With `batchSize` 0 every call gets all indices.
///
/// ```swift
/// try minimize(x: &theta, samples: rows.count, optimizer: SGD(lr: 0.1, momentum: 0.9),
///              options: MinimizeOptions(maxEpochs: 20, batchSize: 32)) { theta, gradient, batch in
///     ...   // the mean loss over rows[batch]; the mean gradient into `gradient`
/// }
/// ```
/// See ``minimize(x:optimizer:options:progress:_:)`` for errors and progress.
@discardableResult
public func minimize(x: inout [Double],
                     samples: Int,
                     optimizer: some OptimizerConfiguration,
                     options: MinimizeOptions = MinimizeOptions(),
                     progress: ((RunProgress) -> ProgressAction)? = nil,
                     _ function: (_ x: [Double], _ gradient: inout [Double], _ batch: [Int]) throws -> Double)
    throws(MinimizeError) -> Report {
    guard samples > 0 else {
        throw .invalidArgument(GradientDescentError(.invalidArgument, "samples must be > 0, got \(samples)"))
    }
    let dimension = x.count
    let result = withoutActuallyEscaping(function) { function in
        let objective = ArrayBatchFunctionObjective(dimension: dimension, sampleCount: samples, function: function)
        return runMinimization(objective, x: &x, optimizer: optimizer, options: options, progress: progress) {
            objective.thrown
        }
    }
    return try result.get()
}

/// Minimizes `function` (a ``DifferentiableFunction``) from `x`, updating `x` in place with
/// `optimizer`; see ``minimize(x:optimizer:options:progress:_:)`` for the rest.
@discardableResult
public func minimize(_ function: some DifferentiableFunction,
                     x: inout [Double],
                     optimizer: some OptimizerConfiguration,
                     options: MinimizeOptions = MinimizeOptions(),
                     progress: ((RunProgress) -> ProgressAction)? = nil) throws(MinimizeError) -> Report {
    try minimize(x: &x, optimizer: optimizer, options: options, progress: progress) { x, gradient in
        try function.value(at: x, gradient: &gradient)
    }
}

/// Minimizes one of the library's objectives (``LeastSquares``, ``LogisticRegression``, ...,
/// or one from a plugin or a foreign library) from `x`, in place, with `optimizer`. With
/// `options.batchSize = k` a sampled objective runs mini-batches of k samples.
/// See ``minimize(x:optimizer:options:progress:_:)`` for the rest.
@discardableResult
public func minimize(_ objective: any Objective,
                     x: inout [Double],
                     optimizer: some OptimizerConfiguration,
                     options: MinimizeOptions = MinimizeOptions(),
                     progress: ((RunProgress) -> ProgressAction)? = nil) throws(MinimizeError) -> Report {
    try runMinimization(objective, x: &x, optimizer: optimizer, options: options, progress: progress) { nil }.get()
}

/// The run behind every array form: makes the optimizer, adapts the progress closure, runs
/// the core's `minimize` on x's storage and turns a failure into a ``MinimizeError``.
private func runMinimization(_ objective: any Objective, x: inout [Double],
                             optimizer configuration: some OptimizerConfiguration,
                             options: MinimizeOptions,
                             progress: ((RunProgress) -> ProgressAction)?,
                             thrown: () -> (any Error)?) -> Result<Report, MinimizeError> {
    let optimizer: Optimizer
    do throws(GradientDescentError) {
        optimizer = try Optimizer(configuration, dimension: max(x.count, 1))
    } catch {
        return .failure(.invalidArgument(error))
    }
    var options = options
    if let progress {
        options.progress = { info in progress(RunProgress(info)) == .stop }
    }
    let outcome: Result<Report, GradientDescentError> = x.withUnsafeMutableBufferPointer { x in
        do throws(GradientDescentError) {
            return .success(try minimize(objective, optimizer: optimizer, x: x, options: options))
        } catch {
            return .failure(error)
        }
    }
    switch outcome {
    case .failure(let error):
        return .failure(.invalidArgument(error))
    case .success(let report):
        guard let failure = report.failure else { return .success(report) }
        if let error = thrown() {
            return .failure(.functionThrew(error, report: report))
        }
        return .failure(.runFailed(failure, report: report))
    }
}
