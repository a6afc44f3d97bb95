import CGradientDescent
import GradientDescent

@c @implementation
public func gd_optimizer_set_groups(_ opt: OpaquePointer?, _ starts: UnsafePointer<Int>?, _ count: Int) -> Int32 {
    boundary("gd_optimizer_set_groups") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let starts = try required(starts, "starts")
        let count = try positiveCount(count, "count")
        if count > Optimizer.maximumGroupCount {
            throw GradientDescentError(.invalidArgument,
                "count must be at most \(Optimizer.maximumGroupCount), got \(UInt(bitPattern: count))")
        }
        try optimizer.setGroups(starts: Array(UnsafeBufferPointer(start: starts, count: count)))
    }
}

@c @implementation
public func gd_optimizer_get_groups(_ opt: OpaquePointer?, _ starts: UnsafeMutablePointer<Int>?, _ cap: Int,
                                    _ count: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_optimizer_get_groups") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let count = try required(count, "count")
        let indices = optimizer.groupStartIndices
        if cap > 0 {
            let starts = try required(starts, "starts")
            for (group, start) in indices.prefix(cap).enumerated() {
                starts[group] = start
            }
        }
        count.pointee = indices.count
    }
}

@c @implementation
public func gd_optimizer_set_group(_ opt: OpaquePointer?, _ group: Int, _ key: UnsafePointer<CChar>?,
                                   _ value: Double) -> Int32 {
    boundary("gd_optimizer_set_group") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        try optimizer.setGroup(group, try string(key, "key"), to: value)
    }
}

@c @implementation
public func gd_optimizer_get_group(_ opt: OpaquePointer?, _ group: Int, _ key: UnsafePointer<CChar>?,
                                   _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_optimizer_get_group") { () throws(GradientDescentError) in
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let name = try string(key, "key")
        let value = try required(value, "value")
        value.pointee = try optimizer.groupValue(group, of: name)
    }
}

@c @implementation
public func gd_schedule_group_lr(_ s: OpaquePointer?, _ group: Int, _ lr: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_group_lr") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        let lr = try required(lr, "lr")
        if group < 0 || group >= schedule.groupTotal {
            throw GradientDescentError(.invalidArgument,
                "group must be below the schedule's number of groups, \(schedule.groupTotal), got \(UInt(bitPattern: group))")
        }
        lr.pointee = schedule.learningRate(group: group)
    }
}

@c @implementation
public func gd_schedule_group_count(_ s: OpaquePointer?, _ count: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_schedule_group_count") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        try required(count, "count").pointee = schedule.groupTotal
    }
}

@c @implementation
public func gd_schedule_start_groups(_ s: OpaquePointer?, _ baseLRs: UnsafePointer<Double>?, _ count: Int,
                                     _ lrs: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("gd_schedule_start_groups") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        let baseLRs = try required(baseLRs, "base_lrs")
        let count = try positiveCount(count, "count")
        if count > Optimizer.maximumGroupCount {
            throw GradientDescentError(.invalidArgument,
                "count must be at most \(Optimizer.maximumGroupCount), got \(UInt(bitPattern: count))")
        }
        let rates = try schedule.start(baseLearningRates: Array(UnsafeBufferPointer(start: baseLRs, count: count)))
        if let lrs {
            for (group, rate) in rates.enumerated() { lrs[group] = rate }
        }
    }
}

@c @implementation
public func gd_schedule_step_groups(_ s: OpaquePointer?, _ loss: Double, _ lrs: UnsafeMutablePointer<Double>?,
                                    _ count: Int) -> Int32 {
    boundary("gd_schedule_step_groups") { () throws(GradientDescentError) in
        let schedule = object(try required(s, "s"), as: Schedule.self)
        if lrs != nil && count != schedule.groupTotal {
            throw GradientDescentError(.invalidArgument,
                "count is \(UInt(bitPattern: count)) but the schedule runs \(schedule.groupTotal) groups")
        }
        try schedule.stepGroups(loss: loss, clock: ScheduleClock(iteration: schedule.stepCount &+ 1, epoch: 0))
        if let lrs {
            for group in 0..<schedule.groupTotal { lrs[group] = schedule.learningRate(group: group) }
        }
    }
}
