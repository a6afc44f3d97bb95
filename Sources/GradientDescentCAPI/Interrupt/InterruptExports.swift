import CGradientDescent
import GradientDescent
import Synchronization

/// A stop request raised from another thread or a signal handler (header section
/// "Interrupting a run"): an atomic flag the run polls through its progress function, which
/// then forwards to the progress function the run would otherwise have had.
final class Interrupt {
    let requested = Atomic<Int32>(0)
    let next: gd_progress_fn?
    let nextUser: UnsafeMutableRawPointer?

    init(next: gd_progress_fn?, nextUser: UnsafeMutableRawPointer?) {
        self.next = next
        self.nextUser = nextUser
    }
}

@c @implementation
public func gd_interrupt_new(_ next: gd_progress_fn?, _ next_user: UnsafeMutableRawPointer?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_interrupt_new") { () throws(GradientDescentError) in
        let out = try required(out, "out")
        out.pointee = retainedHandle(Interrupt(next: next, nextUser: next_user))
    }
}

@c @implementation
public func gd_interrupt_request(_ interrupt: OpaquePointer?) {
    guard let interrupt else { return }
    object(interrupt, as: Interrupt.self).requested.store(1, ordering: .releasing)
}

@c @implementation
public func gd_interrupt_clear(_ interrupt: OpaquePointer?) {
    guard let interrupt else { return }
    object(interrupt, as: Interrupt.self).requested.store(0, ordering: .releasing)
}

@c @implementation
public func gd_interrupt_requested(_ interrupt: OpaquePointer?) -> Int32 {
    guard let interrupt else { return 0 }
    return object(interrupt, as: Interrupt.self).requested.load(ordering: .acquiring)
}

@c @implementation
public func gd_interrupt_progress(_ user: UnsafeMutableRawPointer?,
                                  _ info: UnsafePointer<gd_progress_info>?) -> Int32 {
    guard let user else { return 0 }
    let interrupt = Unmanaged<Interrupt>.fromOpaque(user).takeUnretainedValue()
    if interrupt.requested.load(ordering: .acquiring) != 0 { return 1 }
    guard let next = interrupt.next else { return 0 }
    return next(interrupt.nextUser, info)
}

@c @implementation
public func gd_interrupt_free(_ interrupt: OpaquePointer?) {
    release(interrupt, as: Interrupt.self)
}
