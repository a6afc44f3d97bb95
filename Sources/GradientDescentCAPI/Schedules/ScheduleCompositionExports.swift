import CGradientDescent
import GradientDescent

@c @implementation
public func gd_schedule_add(_ parent: OpaquePointer?, _ child: OpaquePointer?, _ milestone: UInt64) -> Int32 {
    boundary("gd_schedule_add") { () throws(GradientDescentError) in
        let parent = object(try required(parent, "parent"), as: Schedule.self)
        let child = object(try required(child, "child"), as: Schedule.self)
        if parent === child {
            throw GradientDescentError(.invalidArgument, "a schedule cannot be its own child")
        }
        try parent.append(child, milestone: milestone)
    }
}

@c @implementation
public func gd_schedule_step_to(_ s: OpaquePointer?, _ epoch: Double, _ lr: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_step_to") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        let next = try schedule.step(toEpoch: epoch)
        lr?.pointee = next
    }
}

@c @implementation
public func gd_schedule_momentum(_ s: OpaquePointer?, _ momentum: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_momentum") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        try required(momentum, "momentum").pointee = schedule.momentum
    }
}
