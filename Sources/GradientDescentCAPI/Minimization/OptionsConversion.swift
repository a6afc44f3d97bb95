import CGradientDescent
import GradientDescent

/// The size of gd_options and gd_report in their first release: everything before the
/// training controls. Later fields are read or written only when the caller's struct_size
/// covers them, so structs from older headers keep working.
let optionsSizeV0_1 = MemoryLayout<gd_options>.offset(of: \gd_options.schedule) ?? MemoryLayout<gd_options>.size
let reportSizeV0_1 = MemoryLayout<gd_report>.offset(of: \gd_report.best_iteration) ?? MemoryLayout<gd_report>.size

extension gd_options {
    /// Every field at its default, struct_size the full size.
    static var defaults: gd_options {
        let defaults = MinimizeOptions()
        return gd_options(
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
            progress_user: nil,
            schedule: nil,
            schedule_per_epoch: defaults.schedulePerEpoch ? 1 : 0,
            nonfinite_policy: defaults.nonFinitePolicy.rawValue,
            clip_norm: defaults.clipping.maxNorm,
            clip_value: defaults.clipping.maxValue,
            max_consecutive_skips: defaults.maxConsecutiveSkips,
            keep_best: defaults.keepBest ? 1 : 0,
            run_state: nil,
            lower: nil,
            upper: nil,
            clip_norm_type: defaults.clipping.normType,
            clip_error_if_nonfinite: defaults.clipping.errorIfNonfinite ? 1 : 0,
            reducer: nil)
    }
}

extension gd_options {
    /// The padding bytes between consecutive fields (an int32_t before a pointer leaves
    /// four), which gd_options_init_sized zeroes. Fields appended to gd_options join the list.
    static let paddingGaps: [Range<Int>] = {
        func bytes<T>(_ field: KeyPath<gd_options, T>) -> Range<Int> {
            let offset = MemoryLayout<gd_options>.offset(of: field) ?? 0
            return offset..<(offset + MemoryLayout<T>.size)
        }
        let fields = [
            bytes(\.struct_size), bytes(\.batch_size), bytes(\.max_iterations), bytes(\.max_epochs),
            bytes(\.gradient_tolerance), bytes(\.loss_tolerance), bytes(\.patience), bytes(\.target_loss),
            bytes(\.time_limit), bytes(\.seed), bytes(\.shuffle), bytes(\.progress), bytes(\.progress_user),
            bytes(\.schedule), bytes(\.schedule_per_epoch), bytes(\.nonfinite_policy), bytes(\.clip_norm),
            bytes(\.clip_value), bytes(\.max_consecutive_skips), bytes(\.keep_best), bytes(\.run_state),
            bytes(\.lower), bytes(\.upper), bytes(\.clip_norm_type), bytes(\.clip_error_if_nonfinite),
            bytes(\.reducer),
        ].sorted { $0.lowerBound < $1.lowerBound }
        var gaps: [Range<Int>] = []
        for (field, next) in zip(fields, fields.dropFirst()) where field.upperBound < next.lowerBound {
            gaps.append(field.upperBound..<next.lowerBound)
        }
        // The struct's tail padding, after its last field.
        if let last = fields.last, last.upperBound < MemoryLayout<gd_options>.size {
            gaps.append(last.upperBound..<MemoryLayout<gd_options>.size)
        }
        return gaps
    }()
}

/// A caller's struct_size, shown as the size_t it is.
func shownSize(_ size: Int) -> String { "\(UInt(bitPattern: size))" }

/// A C flag that must be 0 or 1.
func flag(_ value: Int32, _ name: StaticString) throws(GradientDescentError) -> Bool {
    switch value {
    case 0: return false
    case 1: return true
    default: throw GradientDescentError(.invalidArgument, "\(name) must be 0 or 1, got \(value)")
    }
}

extension MinimizeOptions {
    /// Reads a caller's gd_options: as many bytes as its struct_size says (at least the first
    /// release's), the defaults for the fields beyond.
    /// `dimension` is the run's n, the length of the bound arrays.
    init(_ options: UnsafePointer<gd_options>, dimension: Int) throws(GradientDescentError) {
        let declared = UnsafeRawPointer(options).load(as: Int.self)
        if declared < optionsSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "options->struct_size is \(shownSize(declared)), expected at least \(optionsSizeV0_1); fill options with gd_options_init")
        }
        var c = gd_options.defaults
        withUnsafeMutableBytes(of: &c) { bytes in
            bytes.copyMemory(from: UnsafeRawBufferPointer(start: options, count: min(declared, bytes.count)))
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
        shuffle = try flag(c.shuffle, "shuffle")
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
        schedule = c.schedule.map { object($0, as: Schedule.self) }
        schedulePerEpoch = try flag(c.schedule_per_epoch, "schedule_per_epoch")
        guard let policy = NonFinitePolicy(rawValue: c.nonfinite_policy) else {
            throw GradientDescentError(.invalidArgument,
                "nonfinite_policy must be GD_NONFINITE_FAIL (0) or GD_NONFINITE_SKIP (1), got \(c.nonfinite_policy)")
        }
        nonFinitePolicy = policy
        clipping = GradientClipping(maxNorm: c.clip_norm, maxValue: c.clip_value, normType: c.clip_norm_type,
                                    errorIfNonfinite: try flag(c.clip_error_if_nonfinite, "clip_error_if_nonfinite"))
        maxConsecutiveSkips = c.max_consecutive_skips
        keepBest = try flag(c.keep_best, "keep_best")
        runState = c.run_state.map { object($0, as: RunState.self) }
        if c.lower != nil || c.upper != nil {
            let lower = c.lower, upper = c.upper
            bounds = try Bounds(dimension: dimension) { i in
                (lower?[i] ?? -.infinity, upper?[i] ?? .infinity)
            }
        }
        if let cReducer = c.reducer {
            reducer = try Reducer(cReducer)
        }
    }
}

extension gd_report {
    /// Copies a run's report into the caller's struct, as far as its struct_size reaches.
    static func write(_ report: Report, to out: UnsafeMutablePointer<gd_report>) {
        let declared = UnsafeRawPointer(out).load(as: Int.self)
        var full = gd_report()
        full.struct_size = declared
        full.stop_reason = report.stopReason.rawValue
        full.iterations = report.iterations
        full.epochs = report.epochs
        full.evaluations = report.evaluations
        full.loss = report.loss
        full.best_loss = report.bestLoss
        full.gradient_norm = report.gradientNorm
        full.seconds = report.seconds
        full.best_iteration = report.bestIteration
        full.skipped_steps = report.skippedSteps
        full.clipped_steps = report.clippedSteps
        full.returned_best = report.returnedBest ? 1 : 0
        full.x0_projected = report.x0Projected ? 1 : 0
        withUnsafeBytes(of: &full) { bytes in
            UnsafeMutableRawPointer(out).copyMemory(from: bytes.baseAddress!, byteCount: min(declared, bytes.count))
        }
    }
}
