import CGradientDescent
import GradientDescent

/// The smallest gd_reducer a caller can pass: every field of the first release.
let reducerSizeV0_1 = MemoryLayout<gd_reducer>.size

extension Reducer {
    /// A caller's gd_reducer as the core's reducer; the caller keeps the struct alive for the
    /// call of gd_minimize it is passed to.
    init(_ reducer: UnsafePointer<gd_reducer>) throws(GradientDescentError) {
        let c = reducer.pointee
        if c.struct_size < reducerSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "reducer->struct_size is \(shownSize(c.struct_size)), expected at least \(reducerSizeV0_1)")
        }
        guard let sum = c.sum else {
            throw GradientDescentError(.nullArgument, "reducer->sum is NULL")
        }
        if c.process_count < 1 || c.process_count > UInt64(Int32.max) {
            throw GradientDescentError(.invalidArgument,
                "reducer->process_count must be in [1, \(Int32.max)], got \(c.process_count)")
        }
        if c.rank >= c.process_count {
            throw GradientDescentError(.invalidArgument,
                "reducer->rank must be < process_count (\(c.process_count)), got \(c.rank)")
        }
        let user = c.user
        try self.init(processCount: Int(c.process_count), rank: Int(c.rank)) { buffer throws(GradientDescentError) in
            let status = sum(buffer.baseAddress, buffer.count, user)
            if status != 0 {
                throw GradientDescentError(.callback, "the reducer's sum returned \(status)")
            }
        }
    }
}
