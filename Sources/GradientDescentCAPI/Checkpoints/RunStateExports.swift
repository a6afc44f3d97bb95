import CGradientDescent
import GradientDescent

@c @implementation
public func gd_run_state_new(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_run_state_new") { () throws(GradientDescentError) in
        try required(out, "out").pointee = retainedHandle(RunState())
    }
}

@c @implementation
public func gd_run_state_reset(_ state: OpaquePointer?) -> Int32 {
    boundary("gd_run_state_reset") { () throws(GradientDescentError) in
        object(try required(state, "state"), as: RunState.self).reset()
    }
}

@c @implementation
public func gd_run_state_save(_ state: OpaquePointer?, _ buf: UnsafeMutableRawPointer?, _ cap: Int,
                              _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    saveExport("gd_run_state_save", state, "state", as: RunState.self, buf: buf, cap: cap, size: size)
}

@c @implementation
public func gd_run_state_load(_ state: OpaquePointer?, _ buf: UnsafeRawPointer?, _ size: Int) -> Int32 {
    loadExport("gd_run_state_load", state, "state", as: RunState.self, buf: buf, size: size)
}

@c @implementation
public func gd_run_state_free(_ state: OpaquePointer?) {
    release(state, as: RunState.self)
}
