import CGradientDescent
import GradientDescent

@c @implementation
public func gd_optimizer_new(_ name: UnsafePointer<CChar>?, _ n: Int,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_optimizer_new") { () throws(GradientDescentError) in
        let rule = try string(name, "name")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        out.pointee = retainedHandle(try Optimizer(rule: rule, dimension: count))
    }
}

@c @implementation
public func gd_optimizer_set(_ opt: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ value: Double) -> Int32 {
    boundary("gd_optimizer_set") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        try optimizer.set(try string(key, "key"), to: value)
    }
}

@c @implementation
public func gd_optimizer_get(_ opt: OpaquePointer?, _ key: UnsafePointer<CChar>?,
                             _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_optimizer_get") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let name = try string(key, "key")
        let value = try required(value, "value")
        value.pointee = try optimizer.value(of: name)
    }
}

@c @implementation
public func gd_optimizer_step(_ opt: OpaquePointer?, _ x: UnsafeMutablePointer<Double>?,
                              _ grad: UnsafePointer<Double>?, _ n: Int) -> Int32 {
    boundary("gd_optimizer_step") { () throws(GradientDescentError) in
        let handle = try required(opt, "opt")
        let x = try required(x, "x")
        let grad = try required(grad, "grad")
        try withBorrowedOptimizer(handle) { (optimizer) throws(GradientDescentError) in
            if n != optimizer.dimension {
                throw dimensionMismatch(n, optimizer.dimension)
            }
            try optimizer.validate()
            try optimizer.update(UnsafeMutableBufferPointer(start: x, count: n),
                                 gradient: UnsafeBufferPointer(start: grad, count: n))
        }
    }
}

/// Runs `body` on the optimizer behind `handle` without retaining it: the caller's reference
/// keeps it alive for the call (the handle must stay valid until the call returns, as for any
/// C object). A step at small n is a few tens of nanoseconds, and a retain and a release (two
/// atomic operations) would add about ten.
@inline(__always)
private func withBorrowedOptimizer(_ handle: OpaquePointer,
                                   _ body: (Optimizer) throws(GradientDescentError) -> Void) throws(GradientDescentError) {
    let failure = Unmanaged<Optimizer>.fromOpaque(UnsafeRawPointer(handle))._withUnsafeGuaranteedRef {
        (optimizer) -> GradientDescentError? in
        do throws(GradientDescentError) {
            try body(optimizer)
            return nil
        } catch {
            return error
        }
    }
    if let failure { throw failure }
}

/// Out of line: only a failing step builds the message.
@inline(never)
private func dimensionMismatch(_ n: Int, _ dimension: Int) -> GradientDescentError {
    GradientDescentError(.dimensionMismatch,
        "n is \(UInt(bitPattern: n)) but the optimizer was created for \(dimension)")
}

@c @implementation
public func gd_optimizer_reset(_ opt: OpaquePointer?) -> Int32 {
    boundary("gd_optimizer_reset") { () throws(GradientDescentError) in
        object(try required(opt, "opt"), as: Optimizer.self).reset()
    }
}

@c @implementation
public func gd_optimizer_free(_ opt: OpaquePointer?) {
    release(opt, as: Optimizer.self)
}
