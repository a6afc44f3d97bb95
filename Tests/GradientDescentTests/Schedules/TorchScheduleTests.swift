#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import GradientDescent

/// PyTorch's other schedulers from Swift: their closed forms written out in Python's order, the
/// composites, stepping to an epoch and cycled momentum. (Their values against real torch are
/// the Python golden-file tests.)
@Suite("PyTorch's other schedules") struct TorchScheduleTests {
    @Test("every schedule name makes a schedule whose keys fit the inline store")
    func everyNameMakesASchedule() throws {
        for name in Schedule.names {
            let s = try Schedule(name: name)
            #expect(s.keys.count <= HyperparameterValues.capacity, "\(name)")
        }
    }

    @Test("multistep and polynomial follow PyTorch's closed forms bit for bit over 120 steps")
    func multistepAndPolynomial() throws {
        let multi = try schedule("multistep", ["milestone_1": 30, "milestone_2": 80, "milestone_3": 30, "gamma": 0.5])
        let poly = try schedule("polynomial", ["total_iters": 100, "power": 2.5])
        var m = try multi.start(baseLearningRate: 0.1)
        var p = try poly.start(baseLearningRate: 0.1)
        for e in 0..<120 {
            let passed = (e >= 30 ? 2 : 0) + (e >= 80 ? 1 : 0)
            #expect(m == 0.1 * pow(0.5, Double(passed)), "multistep step \(e)")
            #expect(p == 0.1 * pow(1.0 - Double(min(100, e)) / 100, 2.5), "polynomial step \(e)")
            m = try multi.step(loss: 0)
            p = try poly.step(loss: 0)
        }
    }

    @Test("warm restarts restart at T_0, T_0·T_mult, ... and jump to fractional epochs")
    func warmRestarts() throws {
        let s = try schedule("warm_restarts", ["t_0": 3, "t_mult": 2])
        var lr = try s.start(baseLearningRate: 1)
        // Periods 3, 6, 12: restarts at steps 3 and 9.
        var expectedCurrent = 0.0, period = 3.0
        for e in 0..<30 {
            #expect(lr == (1 + cos(Double.pi * expectedCurrent / period)) / 2, "step \(e)")
            lr = try s.step(loss: 0)
            expectedCurrent += 1
            if expectedCurrent >= period { expectedCurrent -= period; period *= 2 }
        }
        // Epoch 10.5: n = int(log(10.5/3 + 1, 2)) = 2, T_cur = 10.5 - 9, T_i = 12.
        #expect(try s.step(toEpoch: 10.5) == (1 + cos(Double.pi * 1.5 / 12)) / 2)
        #expect(s.stepCount == 10)
        #expect(throws: GradientDescentError.self) { try s.step(toEpoch: -1) }
        let step = try schedule("step", ["step_size": 2])
        try step.start(baseLearningRate: 1)
        #expect(throws: GradientDescentError.self) { try step.step(toEpoch: 2.5) }
    }

    @Test("one_cycle and cyclic move momentum against the lr, and one_cycle stops at total_steps")
    func momentumCycles() throws {
        let one = try schedule("one_cycle", ["max_lr": 1, "total_steps": 10])
        // The optimizer's lr is ignored; step 0 is torch's cos annealing at pct 0:
        // max_lr + (initial − max_lr) / 2 · (cos 0 + 1), the initial lr 1/25 to rounding.
        #expect(try one.start(baseLearningRate: 123) == 1 + (1.0 / 25 - 1) / 2.0 * (cos(0.0) + 1))
        #expect(one.momentum == 0.95)
        var previous = one.momentum
        for _ in 1...2 {
            try one.step(loss: 0)
            #expect(one.momentum < previous)
            previous = one.momentum
        }
        for _ in 3...10 { try one.step(loss: 0) }
        #expect(throws: GradientDescentError.self) { try one.step(loss: 0) }

        let cyclic = try schedule("cyclic", ["base_lr": 0.1, "max_lr": 0.5, "step_size_up": 2, "cycle_momentum": 0])
        #expect(try cyclic.start(baseLearningRate: 9) == 0.1)
        #expect(cyclic.momentum.isNaN)
        #expect(try cyclic.step(loss: 0) == 0.1 + (0.5 - 0.1) * 0.5)
        #expect(try cyclic.step(loss: 0) == 0.5)
    }

    @Test("sequential restarts each child at its milestone; chained multiplies chainable forms")
    func composites() throws {
        let sequential = try Schedule(name: "sequential")
        let warm = try schedule("linear", ["start_factor": 0.5, "total_iters": 4])
        let decay = try schedule("exponential", ["gamma": 0.5])
        try sequential.append(warm, milestone: 0)
        try sequential.append(decay, milestone: 4)
        try decay.set("gamma", to: 0.9) // the parent holds a copy
        var lr = try sequential.start(baseLearningRate: 1)
        for e in 0..<10 {
            let expected = e < 4 ? 1 * (0.5 + (1 - 0.5) * Double(e) / 4) : pow(0.5, Double(e - 4))
            #expect(lr == expected, "step \(e)")
            lr = try sequential.step(loss: 0)
        }
        #expect(throws: GradientDescentError.self) { try sequential.append(decay, milestone: 20) }

        let chained = try Schedule(name: "chained")
        try chained.append(try schedule("constant", ["factor": 0.1, "total_iters": 2]), milestone: 0)
        try chained.append(try schedule("exponential", ["gamma": 0.9]), milestone: 0)
        #expect(throws: GradientDescentError.self) { try chained.append(try Schedule(name: "plateau"), milestone: 0) }
        #expect(throws: GradientDescentError.self) { try chained.append(warm, milestone: 3) }
        #expect(abs(try chained.start(baseLearningRate: 1) - 0.1) < 1e-16)
        #expect(abs(try chained.step(loss: 0) - 0.09) < 1e-16)
        #expect(abs(try chained.step(loss: 0) - 0.81) < 1e-15)
        #expect(throws: GradientDescentError.self) { try Schedule(name: "chained").start(baseLearningRate: 1) }
    }

    @Test("a saved composite loads only into a schedule with the same children and milestones")
    func compositeStates() throws {
        func make(_ milestone: UInt64) throws -> Schedule {
            let s = try Schedule(name: "sequential")
            try s.append(try schedule("one_cycle", ["max_lr": 0.5, "total_steps": 50]), milestone: 0)
            try s.append(try schedule("warm_restarts", ["t_0": 5]), milestone: milestone)
            return s
        }
        let first = try make(20)
        try first.start(baseLearningRate: 0.1)
        for _ in 0..<27 { try first.step(loss: 0) }
        let blob = first.saveState()
        let twin = try make(20)
        try blob.withUnsafeBytes { try twin.loadState($0) }
        for _ in 0..<10 { #expect(try twin.step(loss: 0) == first.step(loss: 0)) }
        let other = try make(21)
        #expect(throws: GradientDescentError.self) { try blob.withUnsafeBytes { try other.loadState($0) } }
    }
}
