import CGradientDescent
import GradientDescent

@c @implementation
public func gd_optimizer_save(_ opt: OpaquePointer?, _ buf: UnsafeMutableRawPointer?, _ cap: Int,
                              _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    saveExport("gd_optimizer_save", opt, "opt", as: Optimizer.self, buf: buf, cap: cap, size: size)
}

@c @implementation
public func gd_optimizer_load(_ opt: OpaquePointer?, _ buf: UnsafeRawPointer?, _ size: Int) -> Int32 {
    loadExport("gd_optimizer_load", opt, "opt", as: Optimizer.self, buf: buf, size: size)
}

@c @implementation
public func gd_optimizer_new_from_state(_ buf: UnsafeRawPointer?, _ size: Int,
                                        _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_optimizer_new_from_state") { () throws(GradientDescentError) in
        let bytes = try stateBytes(buf, size)
        let out = try required(out, "out")
        out.pointee = retainedHandle(try Optimizer(state: bytes))
    }
}
