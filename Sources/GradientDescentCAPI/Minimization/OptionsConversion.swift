import CGradientDescent
import GradientDescent

/// The size of gd_options and gd_report in version 0.1. Later versions only append fields,
/// read or written when the caller's struct_size covers them.
let optionsSizeV0_1 = MemoryLayout<gd_options>.size
let reportSizeV0_1 = MemoryLayout<gd_report>.size

extension MinimizeOptions {
    /// Reads a caller's gd_options, checking its struct_size.
    init(_ options: UnsafePointer<gd_options>) throws(GradientDescentError) {
        let c = options.pointee
        if c.struct_size < optionsSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "options->struct_size is \(c.struct_size), expected at least \(optionsSizeV0_1); fill options with gd_options_init")
        }
        self.init()
        if c.batch_size < 0 {
            throw GradientDescentError(.invalidArgument, "batch_size is \(UInt(bitPattern: c.batch_size)), too large")
        }
        batchSize = c.batch_size
        maxIterations = c.max_iterations
        maxEpochs = c.max_epochs
        gradientTolerance = c.gradient_tolerance
        lossTolerance = c.loss_tolerance
        patience = c.patience
        targetLoss = c.target_loss
        timeLimit = c.time_limit
        seed = c.seed
        switch c.shuffle {
        case 0: shuffle = false
        case 1: shuffle = true
        default:
            throw GradientDescentError(.invalidArgument, "shuffle must be 0 or 1, got \(c.shuffle)")
        }
        if let function = c.progress {
            let user = c.progress_user
            progress = { info in
                var cInfo = gd_progress_info(
                    struct_size: MemoryLayout<gd_progress_info>.size,
                    iteration: info.iteration, epoch: info.epoch, loss: info.loss,
                    gradient_norm: info.gradientNorm, lr: info.learningRate,
                    x: info.x.baseAddress, n: info.x.count)
                return function(user, &cInfo) != 0
            }
        }
    }
}

extension gd_report {
    /// Copies a run's report into the caller's struct, as far as its struct_size reaches.
    static func write(_ report: Report, to out: UnsafeMutablePointer<gd_report>) {
        out.pointee.stop_reason = report.stopReason.rawValue
        out.pointee.iterations = report.iterations
        out.pointee.epochs = report.epochs
        out.pointee.evaluations = report.evaluations
        out.pointee.loss = report.loss
        out.pointee.best_loss = report.bestLoss
        out.pointee.gradient_norm = report.gradientNorm
        out.pointee.seconds = report.seconds
    }
}
