/// An optimizer's state as a blob (StateBlob, kind 1): rule name, dimension, step count,
/// every hyper-parameter by key, the rule's scalars and buffers by name. Loading restores all
/// of them, so an optimizer created afresh continues exactly where the saved one was.
///
///     string rule, u64 dimension, u64 step count
///     u32 count, then (string key, f64 value) per hyper-parameter
///     u32 count, then (string name, f64 value) per scalar
///     u32 count, then (string name, u64 length, f64 × length) per buffer
///     lbfgs only: its history (LBFGSHistoryCheckpoint.swift)
///     with parameter groups only: u32 group count k, then for each group 1 ..< k:
///         u64 start, its hyper-parameters as above, f64 per scalar of the rule
/// (group 0 starts at 0 and its values and scalars are the ones above).
extension Optimizer {
    /// Bytes `saveState(into:)` writes.
    public var stateByteCount: Int { StateBlob.size(writeState) }

    /// Writes the state into `destination` (at least `stateByteCount` bytes, else
    /// `.invalidArgument`); returns the bytes written.
    public func saveState(into destination: UnsafeMutableRawBufferPointer) throws(GradientDescentError) -> Int {
        try StateBlob.save(.optimizer, into: destination, writeState)
    }

    /// The state as bytes.
    public func saveState() -> [UInt8] { StateBlob.bytes(.optimizer, writeState) }

    private func writeState(_ writer: inout BlobWriter) {
        writer.string(rule)
        writer.int(dimension)
        writer.int(state.stepCount)
        writer.hyperparameters(hyperparameters)
        writer.u32(UInt32(state.layout.scalars.count))
        for (scalar, value) in zip(state.layout.scalars, state.scalars) {
            writer.string(scalar.name)
            writer.f64(value)
        }
        writer.u32(UInt32(state.layout.bufferNames.count))
        for (index, name) in state.layout.bufferNames.enumerated() {
            writer.string(name)
            writer.doubles(UnsafeBufferPointer(start: state[buffer: index], count: state.bufferLength))
        }
        quasiNewton?.write(&writer)
        if groupCount > 0 {
            let scalarCount = state.layout.scalars.count
            writer.u32(UInt32(groupCount))
            for group in 1..<groupCount {
                writer.int(groupStarts[group])
                writer.hyperparameters(Hyperparameters(schema: schema, values: groupValues(group)))
                for value in state.scalars[(group * scalarCount)..<((group + 1) * scalarCount)] {
                    writer.f64(value)
                }
            }
        }
    }

    /// Replaces hyper-parameters and state with a saved state of the same rule and dimension.
    /// Everything is checked before anything changes: `.badState` for another rule, another
    /// dimension, another format version, a truncated or corrupted blob, a value out of range.
    public func loadState(_ blob: UnsafeRawBufferPointer) throws(GradientDescentError) {
        var reader = try StateBlob.open(blob, as: .optimizer)
        let savedRule = try reader.string("the rule name")
        if savedRule != rule {
            throw GradientDescentError(.badState, "the state was saved by optimizer '\(savedRule)'; this optimizer is '\(rule)'")
        }
        let savedDimension = try reader.int("the dimension")
        if savedDimension != dimension {
            throw GradientDescentError(.badState,
                "the state is for \(savedDimension) parameters; this optimizer has \(dimension)")
        }
        let stepCount = try reader.int("the step count", limit: Int(savedCounterLimit))

        let loaded = try reader.hyperparameters(over: hyperparameters)

        let layout = state.layout
        let scalarCount = Int(try reader.u32("the number of scalars"))
        if scalarCount != layout.scalars.count {
            throw GradientDescentError(.badState, "the state has \(scalarCount) scalars; rule '\(rule)' keeps \(layout.scalars.count)")
        }
        var scalars: [Double] = []
        for expected in layout.scalars {
            let name = try reader.string("a scalar name")
            if name != expected.name {
                throw GradientDescentError(.badState, "the state has scalar '\(name)' where rule '\(rule)' keeps '\(expected.name)'")
            }
            scalars.append(try reader.f64("scalar \(name)"))
        }

        let bufferCount = Int(try reader.u32("the number of buffers"))
        if bufferCount != layout.bufferNames.count {
            throw GradientDescentError(.badState, "the state has \(bufferCount) buffers; rule '\(rule)' keeps \(layout.bufferNames.count)")
        }
        var buffers: [UnsafeRawBufferPointer] = []
        for expected in layout.bufferNames {
            let name = try reader.string("a buffer name")
            if name != expected {
                throw GradientDescentError(.badState, "the state has buffer '\(name)' where rule '\(rule)' keeps '\(expected)'")
            }
            buffers.append(try reader.doubles("buffer \(name)", expected: state.bufferLength))
        }
        var history: LBFGSHistory? = nil
        if isQuasiNewton {
            do {
                try updateRule.validate(loaded)
            } catch {
                throw GradientDescentError(.badState, "the state does not fit this optimizer: \(error.message)")
            }
            let capacity = Int(loaded.values[LBFGSRule.Key.historySize.rawValue])
            history = try LBFGSHistory.read(&reader, dimension: dimension, capacity: capacity)
        }
        var starts = [0]
        var otherValues: [HyperparameterValues] = []
        if !reader.isAtEnd {
            let count = Int(try reader.u32("the number of parameter groups"))
            if count < 2 || count > min(dimension, Optimizer.maximumGroupCount) {
                throw GradientDescentError(.badState, "the state has \(count) parameter groups for \(dimension) parameters")
            }
            for group in 1..<count {
                starts.append(try reader.int("the start of group \(group)", limit: dimension))
                otherValues.append(try reader.hyperparameters(over: hyperparameters).values)
                for index in layout.scalars.indices {
                    scalars.append(try reader.f64("scalar \(layout.scalars[index].name) of group \(group)"))
                }
            }
            do {
                try checkGroupStarts(starts)
            } catch {
                throw GradientDescentError(.badState, "the state's parameter groups do not fit: \(error.message)")
            }
            if updateRule is CallbackUpdateRule || isQuasiNewton {
                throw GradientDescentError(.badState, "the state has parameter groups; rule '\(rule)' takes none")
            }
        }
        try reader.finish()

        hyperparameters = loaded
        groupCount = starts.count == 1 ? 0 : starts.count
        groupStarts = starts.count == 1 ? [] : starts
        otherGroupValues = otherValues
        if let history { quasiNewton = history }
        state.stepCount = stepCount
        state.scalars = scalars
        for (index, bytes) in buffers.enumerated() {
            copyDoubles(bytes, to: state[buffer: index])
        }
    }

    /// An optimizer created from a saved state: the rule (built-in or registered custom) and
    /// the dimension come from the blob.
    public convenience init(state blob: UnsafeRawBufferPointer) throws(GradientDescentError) {
        var reader = try StateBlob.open(blob, as: .optimizer)
        let rule = try reader.string("the rule name")
        let dimension = try reader.int("the dimension", limit: Int.max / 64)
        if dimension == 0 {
            throw GradientDescentError(.badState, "the state is for 0 parameters")
        }
        // The buffers the optimizer allocates are in the blob, so they fit in its bytes: a
        // short blob that claims a large dimension must not make the library allocate (and
        // zero) gigabytes before the body is read.
        if let (probe, _) = Optimizer.makeRule(named: rule) {
            let layout = probe.stateLayout
            let (perBuffer, overflowPer) = dimension.multipliedReportingOverflow(by: layout.elementsPerParameter)
            let (doubles, overflowAll) = perBuffer.multipliedReportingOverflow(by: layout.bufferNames.count)
            if overflowPer || overflowAll || doubles > (blob.count - StateBlob.headerSize) / 8 {
                throw GradientDescentError(.badState,
                    "the state claims \(dimension) parameters, but rule '\(rule)' keeps \(layout.bufferNames.count) buffers of that many values and the state has \(blob.count) bytes")
            }
        }
        try self.init(rule: rule, dimension: dimension)
        try loadState(blob)
    }
}
