/// The two schedules made of other schedules, PyTorch's SequentialLR and ChainedScheduler.
///
///     sequential   child k runs from its milestone (0 for the first) until the next one; at
///                  its milestone it starts again at its step 0 from the base lr, as
///                  SequentialLR's `_update_lr(0)` does.
///     chained      every child steps every time, each mapping the lr the previous one left
///                  (PyTorch's chainable get_lr), in the order they were added.
///
/// Children are copies taken when appended (their keys then; later changes to the original do
/// not reach the parent), and the parent's state holds theirs. Sequential takes any schedule but
/// plateau and the composites (PyTorch rejects ReduceLROnPlateau and cannot restart a
/// SequentialLR); chained takes the schedules with a chainable form: constant, step,
/// exponential, cosine, linear, multistep, polynomial, warm_restarts, one_cycle, cyclic.
enum Composition: String, Sendable {
    case sequential, chained
}

/// The rule of a composite: no keys; the Schedule runs its children.
struct CompositeSchedule: ScheduleRule {
    let name: String

    var hyperparameters: [Hyperparameter] { [] }

    func start(_ state: inout ScheduleState, hyperparameters: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        throw GradientDescentError(.invalidArgument, "\(name) schedule runs through its children")
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        throw GradientDescentError(.invalidArgument, "\(name) schedule runs through its children")
    }
}

extension Schedule {
    /// The most children a composite holds.
    public static let childCapacity = 64

    /// The children of a sequential or chained schedule, in order.
    public var childCount: Int { children.count }

    /// Adds a copy of `child` (its keys; not its progress) at the end. For sequential,
    /// `milestone` is the step at which it takes over: 0 for the first child, then strictly
    /// increasing; for chained it must be 0. `.invalidArgument` when this schedule is not a
    /// composite, has started, is full, or the child or milestone does not fit (see the type).
    public func append(_ child: Schedule, milestone: UInt64) throws(GradientDescentError) {
        guard let composition else {
            throw GradientDescentError(.invalidArgument, "\(name) schedule takes no children (sequential and chained do)")
        }
        if state.started {
            throw GradientDescentError(.invalidArgument, "the \(name) schedule has started; add children before its first use")
        }
        if children.count >= Schedule.childCapacity {
            throw GradientDescentError(.invalidArgument, "a \(name) schedule holds at most \(Schedule.childCapacity) children")
        }
        if child.composition != nil || child.rule is PlateauSchedule {
            throw GradientDescentError(.invalidArgument, "a \(name) schedule cannot hold a \(child.name) schedule")
        }
        switch composition {
        case .sequential:
            if children.isEmpty && milestone != 0 {
                throw GradientDescentError(.invalidArgument, "the first child of a sequential schedule starts at milestone 0, got \(milestone)")
            }
            if let last = milestones.last, !children.isEmpty, milestone <= last {
                throw GradientDescentError(.invalidArgument,
                    "sequential milestones must increase: \(milestone) after \(last)")
            }
            if milestone > savedCounterLimit {
                throw GradientDescentError(.invalidArgument, "milestone \(milestone) is out of range")
            }
        case .chained:
            if milestone != 0 {
                throw GradientDescentError(.invalidArgument, "a chained schedule's children take milestone 0, got \(milestone)")
            }
            if !(child.rule is any ChainableSchedule) {
                throw GradientDescentError(.invalidArgument, "a chained schedule cannot hold a \(child.name) schedule")
            }
        }
        children.append(child.copy())
        milestones.append(milestone)
    }

    /// A fresh schedule with the same rule and keys, not started.
    func copy() -> Schedule {
        let twin = Schedule(rule: rule, name: name, hyperparameters: hyperparameters, composition: composition)
        twin.children = children.map { $0.copy() }
        twin.milestones = milestones
        return twin
    }

    func validateChildren() throws(GradientDescentError) {
        guard composition != nil else { return }
        if children.isEmpty {
            throw GradientDescentError(.invalidArgument, "\(name) schedule needs at least one child")
        }
        for child in children { try child.validate() }
    }

    /// The child of a sequential schedule that runs at `step`.
    private func activeChild(at step: UInt64) -> Int {
        var index = 0
        while index + 1 < milestones.count && milestones[index + 1] <= step { index += 1 }
        return index
    }

    func startComposite(baseLearningRate: Double, clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try validate()
        var fresh = ScheduleState()
        fresh.baseLearningRate = baseLearningRate
        switch composition {
        case .sequential:
            for child in children { child.reset() }
            let first = children[activeChild(at: 0)]
            fresh.learningRate = try first.start(baseLearningRate: baseLearningRate, clock: clock)
            fresh.momentum = first.momentum
        default:
            var initial = baseLearningRate
            let chain = try runChain(from: baseLearningRate) { (index, child) throws(GradientDescentError) in
                // OneCycleLR sets the group's initial_lr, CyclicLR too when it is the first:
                // the base of the children after it.
                if let oneCycle = child.rule as? OneCycleSchedule {
                    initial = oneCycle.initialLearningRate(child.hyperparameters)
                } else if index == 0, child.rule is CyclicSchedule {
                    initial = try child.value(of: "base_lr")
                }
                var childState = ScheduleState()
                childState.baseLearningRate = initial
                childState.started = true
                return childState
            }
            fresh.learningRate = chain.learningRate
            fresh.momentum = chain.momentum
        }
        fresh.started = true
        state = fresh
        return fresh.learningRate
    }

    /// One pass of a chain: each child, from the state `prepare` gives it, maps the lr the
    /// previous one left; the children's states change only when every child succeeded.
    private func runChain(from learningRate: Double,
                          prepare: (Int, Schedule) throws(GradientDescentError) -> ScheduleState)
        throws(GradientDescentError) -> (learningRate: Double, momentum: Double) {
        var lr = learningRate
        var momentum = Double.nan
        if chainScratch.count != children.count {
            chainScratch = Array(repeating: ScheduleState(), count: children.count)
        }
        for (index, child) in children.enumerated() {
            var childState = try prepare(index, child)
            guard let chainable = child.rule as? any ChainableSchedule else {
                throw GradientDescentError(.invalidArgument, "a chained schedule cannot hold a \(child.name) schedule")
            }
            lr = try chainable.chained(&childState, current: lr, hyperparameters: child.hyperparameters)
            childState.learningRate = lr
            if !childState.momentum.isNaN { momentum = childState.momentum }
            chainScratch[index] = childState
        }
        for index in children.indices { children[index].state = chainScratch[index] }
        return (lr, momentum)
    }

    func stepComposite(loss: Double, clock: ScheduleClock) throws(GradientDescentError) -> Double {
        var next = state
        next.steps &+= 1
        switch composition {
        case .sequential:
            let index = activeChild(at: next.steps)
            let child = children[index]
            if index > 0 && milestones[index] == next.steps {
                next.learningRate = try child.start(baseLearningRate: state.baseLearningRate, clock: clock)
            } else {
                next.learningRate = try child.step(loss: loss, clock: clock)
            }
            next.momentum = child.momentum
        default:
            let chain = try runChain(from: state.learningRate) { (_, child) throws(GradientDescentError) in
                var childState = child.state
                childState.steps &+= 1
                return childState
            }
            next.learningRate = chain.learningRate
            next.momentum = chain.momentum
        }
        state = next
        return next.learningRate
    }
}
