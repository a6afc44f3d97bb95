/// Checks of borrowed data at construction, so that no pass can read out of bounds.
enum DataChecks {
    static func matrix(_ buffer: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                       name: String) throws(GradientDescentError) {
        if rows <= 0 || columns <= 0 {
            throw GradientDescentError(.invalidArgument, "\(name) must have rows > 0 and cols > 0, got \(rows)×\(columns)")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        if overflow || count > Int.max / 16 {
            throw GradientDescentError(.invalidArgument, "\(name) of \(rows)×\(columns) is too large")
        }
        if buffer.baseAddress == nil {
            throw GradientDescentError(.nullArgument, "\(name) is NULL")
        }
        if buffer.count != count {
            throw GradientDescentError(.dimensionMismatch, "\(name) has \(buffer.count) entries, expected \(rows)×\(columns) = \(count)")
        }
    }

    static func vector(_ buffer: UnsafeBufferPointer<Double>, count: Int, name: String) throws(GradientDescentError) {
        if buffer.baseAddress == nil {
            throw GradientDescentError(.nullArgument, "\(name) is NULL")
        }
        if buffer.count != count {
            throw GradientDescentError(.dimensionMismatch, "\(name) has \(buffer.count) entries, expected \(count)")
        }
    }

    static func l2(_ value: Double) throws(GradientDescentError) {
        if !(value.isFinite && value >= 0) {
            throw GradientDescentError(.invalidArgument, "l2 must be finite and >= 0, got \(value)")
        }
    }
}
