import CGradientDescent
import GradientDescent

/// A C schedule callback and its user pointer, which the caller keeps valid and
/// thread-confined as the header asks.
private struct ScheduleCallback: @unchecked Sendable {
    let function: gd_schedule_fn
    let user: UnsafeMutableRawPointer?
}

@c @implementation
public func gd_schedule_new(_ name: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_schedule_new") { () throws(GradientDescentError) in
        let name = try string(name, "name")
        let out = try required(out, "out")
        out.pointee = retainedHandle(try Schedule(name: name))
    }
}

@c @implementation
public func gd_schedule_new_callback(_ fn: gd_schedule_fn?, _ user: UnsafeMutableRawPointer?,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_schedule_new_callback") { () throws(GradientDescentError) in
        let callback = ScheduleCallback(function: try required(fn, "fn"), user: user)
        let out = try required(out, "out")
        out.pointee = retainedHandle(Schedule { iteration, epoch, lr, loss in
            callback.function(callback.user, iteration, epoch, lr, loss)
        })
    }
}

@c @implementation
public func gd_schedule_set(_ s: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ value: Double) -> Int32 {
    boundary("gd_schedule_set") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        try schedule.set(try string(key, "key"), to: value)
    }
}

@c @implementation
public func gd_schedule_get(_ s: OpaquePointer?, _ key: UnsafePointer<CChar>?,
                            _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_get") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        let name = try string(key, "key")
        let value = try required(value, "value")
        value.pointee = try schedule.value(of: name)
    }
}

@c @implementation
public func gd_schedule_start(_ s: OpaquePointer?, _ base_lr: Double, _ lr: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_start") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        let first = try schedule.start(baseLearningRate: base_lr)
        lr?.pointee = first
    }
}

@c @implementation
public func gd_schedule_step(_ s: OpaquePointer?, _ loss: Double, _ lr: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_step") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        // Every parameter group steps (see gd_schedule_start_groups); lr is group 0's.
        try schedule.stepGroups(loss: loss, clock: ScheduleClock(iteration: schedule.stepCount &+ 1, epoch: 0))
        lr?.pointee = schedule.learningRate
    }
}

@c @implementation
public func gd_schedule_lr(_ s: OpaquePointer?, _ lr: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_lr") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        try required(lr, "lr").pointee = schedule.learningRate
    }
}

@c @implementation
public func gd_schedule_reset(_ s: OpaquePointer?) -> Int32 {
    boundary("gd_schedule_reset") { () throws(GradientDescentError) in
        object(try required(s, "s"), as: Schedule.self).reset()
    }
}

@c @implementation
public func gd_schedule_save(_ s: OpaquePointer?, _ buf: UnsafeMutableRawPointer?, _ cap: Int,
                             _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    saveExport("gd_schedule_save", s, "s", as: Schedule.self, buf: buf, cap: cap, size: size)
}

@c @implementation
public func gd_schedule_load(_ s: OpaquePointer?, _ buf: UnsafeRawPointer?, _ size: Int) -> Int32 {
    loadExport("gd_schedule_load", s, "s", as: Schedule.self, buf: buf, size: size)
}

@c @implementation
public func gd_schedule_free(_ s: OpaquePointer?) {
    release(s, as: Schedule.self)
}
