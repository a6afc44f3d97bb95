/// Minimizes `objective` from `x` in place with `optimizer`.
///
/// Throws before anything runs when the arguments do not fit together (dimensions, options,
/// a run state from another kind of run).
/// A failure during the run (a callback abort, a non-finite loss or gradient) does not
/// throw: it is returned in `Report.failure`, with x restored to the last iterate whose loss
/// and gradient were finite, so the caller keeps the progress made.
public func minimize(_ objective: any Objective,
                     optimizer: Optimizer,
                     x: UnsafeMutableBufferPointer<Double>,
                     options: MinimizeOptions = MinimizeOptions()) throws(GradientDescentError) -> Report {
    // In a data-parallel run a failed check is thrown after the processes agree, so that
    // the others learn of it instead of waiting for this process.
    var localError: GradientDescentError? = nil
    do throws(GradientDescentError) {
        if x.count != objective.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "x has \(x.count) entries but the objective has dimension \(objective.dimension)")
        }
        if x.count != optimizer.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "x has \(x.count) entries but the optimizer has dimension \(optimizer.dimension)")
        }
        // A data-parallel run checks batch sizes against the rows of all processes, once
        // they have agreed on them.
        try options.validate(sampleCount: options.reducer == nil ? objective.sampleCount : Int.max)
        try optimizer.validate()
        try options.validate(for: optimizer, dimension: x.count)
        for i in 0..<x.count where !x[i].isFinite {
            throw GradientDescentError(.nonFinite, "x[\(i)] is \(x[i]); the starting point must be finite")
        }
    } catch {
        if options.reducer == nil { throw error }
        localError = error
    }
    var run = try DescentRun(objective: objective, optimizer: optimizer, x: x, options: options,
                             localError: localError)
    defer { run.deallocate() }
    return run.run()
}
