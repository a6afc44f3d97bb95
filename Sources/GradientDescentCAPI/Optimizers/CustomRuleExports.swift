import CGradientDescent
import GradientDescent

/// A C update rule and its user pointer, which the caller keeps valid while optimizers
/// created from the rule exist, as the header asks.
private struct UpdateCallback: @unchecked Sendable {
    let function: gd_update_fn
    let user: UnsafeMutableRawPointer?
}

private func customRule(named name: String, _ fn: gd_update_fn?, _ user: UnsafeMutableRawPointer?,
                        _ stateSize: Int) throws(GradientDescentError) -> CustomRule {
    let callback = UpdateCallback(function: try required(fn, "fn"), user: user)
    if stateSize < 0 {
        throw GradientDescentError(.invalidArgument, "state_size must be in [0, 2^20], got \(UInt(bitPattern: stateSize))")
    }
    return try CustomRule(name: name, stateSize: stateSize) { (x, gradient, lr, step, state) throws(GradientDescentError) in
        let code = callback.function(callback.user, x.baseAddress, gradient.baseAddress, x.count, lr,
                                     UInt64(step), state.baseAddress, stateSize)
        if code != 0 {
            throw GradientDescentError(.callback, "the update rule callback returned \(code) at step \(step)")
        }
    }
}

@c @implementation
public func gd_rule_register(_ name: UnsafePointer<CChar>?, _ fn: gd_update_fn?, _ user: UnsafeMutableRawPointer?,
                             _ state_size: Int) -> Int32 {
    boundary("gd_rule_register") { () throws(GradientDescentError) in
        let name = try string(name, "name")
        try Optimizer.register(try customRule(named: name, fn, user, state_size))
    }
}

@c @implementation
public func gd_rule_unregister(_ name: UnsafePointer<CChar>?) -> Int32 {
    boundary("gd_rule_unregister") { () throws(GradientDescentError) in
        try Optimizer.unregister(rule: try string(name, "name"))
    }
}

@c @implementation
public func gd_optimizer_new_custom(_ fn: gd_update_fn?, _ user: UnsafeMutableRawPointer?, _ state_size: Int,
                                    _ n: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_optimizer_new_custom") { () throws(GradientDescentError) in
        let rule = try customRule(named: "custom", fn, user, state_size)
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        out.pointee = retainedHandle(try Optimizer(custom: rule, dimension: count))
    }
}
