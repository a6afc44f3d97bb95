import GradientDescent

/// Runs the body of an export: success clears the thread's last error; a failure records
/// "function: message" and becomes the status code. Every fallible export goes through here,
/// so no error escapes to C without its message.
@inline(__always)
func boundary(_ function: StaticString, _ body: () throws(GradientDescentError) -> Void) -> Int32 {
    do {
        try body()
        LastError.clear()
        return Status.ok.rawValue
    } catch {
        LastError.set("\(function): \(error.message)")
        return error.status.rawValue
    }
}

/// Unwraps a pointer argument, or fails with the argument's name.
@inline(__always)
func required<T>(_ pointer: T?, _ name: StaticString) throws(GradientDescentError) -> T {
    guard let pointer else {
        throw GradientDescentError(.nullArgument, "\(name) is NULL")
    }
    return pointer
}

/// Checks a size_t dimension that Swift sees as Int (SIZE_MAX arrives as -1).
func positiveCount(_ value: Int, _ name: StaticString) throws(GradientDescentError) -> Int {
    if value <= 0 {
        let shown = value < 0 ? "\(UInt(bitPattern: value))" : "0"
        throw GradientDescentError(.invalidArgument, "\(name) must be > 0, got \(shown)")
    }
    if value > Int.max / 64 {
        throw GradientDescentError(.outOfMemory, "\(name) = \(value) is too large to allocate")
    }
    return value
}

/// Reads a C string argument as Swift text.
func string(_ pointer: UnsafePointer<CChar>?, _ name: StaticString) throws(GradientDescentError) -> String {
    String(cString: try required(pointer, name))
}
