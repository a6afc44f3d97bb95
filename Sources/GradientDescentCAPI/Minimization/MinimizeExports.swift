import CGradientDescent
import GradientDescent

@c @implementation
public func gd_options_init(_ options: UnsafeMutablePointer<gd_options>?) -> Int32 {
    boundary("gd_options_init") { () throws(GradientDescentError) in
        let out = try required(options, "options")
        let defaults = MinimizeOptions()
        out.pointee = gd_options(
            struct_size: MemoryLayout<gd_options>.size,
            batch_size: defaults.batchSize,
            max_iterations: defaults.maxIterations,
            max_epochs: defaults.maxEpochs,
            gradient_tolerance: defaults.gradientTolerance,
            loss_tolerance: defaults.lossTolerance,
            patience: defaults.patience,
            target_loss: defaults.targetLoss,
            time_limit: defaults.timeLimit,
            seed: defaults.seed,
            shuffle: defaults.shuffle ? 1 : 0,
            progress: nil,
            progress_user: nil)
    }
}

@c @implementation
public func gd_minimize(_ obj: OpaquePointer?, _ opt: OpaquePointer?, _ x: UnsafeMutablePointer<Double>?,
                        _ n: Int, _ options: UnsafePointer<gd_options>?,
                        _ report: UnsafeMutablePointer<gd_report>?) -> Int32 {
    boundary("gd_minimize") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let x = try required(x, "x")
        if let report, report.pointee.struct_size < reportSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "report->struct_size is \(report.pointee.struct_size), expected at least \(reportSizeV0_1)")
        }
        let settings = try options.map { (pointer) throws(GradientDescentError) in try MinimizeOptions(pointer) }
            ?? MinimizeOptions()
        if n != objective.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "n is \(UInt(bitPattern: n)) but the objective has dimension \(objective.dimension)")
        }
        let result = try minimize(objective, optimizer: optimizer,
                                  x: UnsafeMutableBufferPointer(start: x, count: n), options: settings)
        if let report { gd_report.write(result, to: report) }
        if let failure = result.failure { throw failure }
    }
}
