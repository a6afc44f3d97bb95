#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import GradientDescent

/// One schedule and PyTorch's closed form for it (torch/optim/lr_scheduler.py,
/// `_get_closed_form_lr`), written with Python's operations in Python's order.
struct ClosedFormCase: Sendable, CustomTestStringConvertible {
    let name: String
    let settings: [String: Double]
    let form: @Sendable (_ e: Int, _ base: Double) -> Double

    var testDescription: String { name }

    static let all: [ClosedFormCase] = [
        ClosedFormCase(name: "constant", settings: ["factor": 0.5, "total_iters": 10]) { e, lr in
            lr * (0.5 + (e >= 10 ? 1.0 : 0.0) * (1 - 0.5))
        },
        ClosedFormCase(name: "step", settings: ["step_size": 7, "gamma": 0.5]) { e, lr in
            lr * pow(0.5, Double(e / 7))
        },
        ClosedFormCase(name: "exponential", settings: ["gamma": 0.95]) { e, lr in
            lr * pow(0.95, Double(e))
        },
        ClosedFormCase(name: "cosine", settings: ["t_max": 50, "eta_min": 0.001]) { e, lr in
            0.001 + (lr - 0.001) * (1 + cos(Double.pi * Double(e) / 50)) / 2
        },
        ClosedFormCase(name: "linear", settings: ["start_factor": 0.25, "end_factor": 0.75, "total_iters": 20]) { e, lr in
            lr * (0.25 + (0.75 - 0.25) * Double(min(20, e)) / 20)
        },
        ClosedFormCase(name: "warmup_cosine", settings: ["warmup_steps": 10, "start_factor": 0.1, "t_max": 90]) { e, lr in
            e < 10 ? lr * (0.1 + (1.0 - 0.1) * Double(min(10, e)) / 10)
                   : 0 + (lr - 0) * (1 + cos(Double.pi * Double(e - 10) / 90)) / 2
        },
    ]
}

@Suite("Learning-rate schedules") struct ScheduleTests {
    @Test("every closed-form schedule follows PyTorch's closed form over 100 steps, to 1e-15",
          arguments: ClosedFormCase.all)
    func closedForms(_ c: ClosedFormCase) throws {
        let s = try schedule(c.name, c.settings)
        var lr = try s.start(baseLearningRate: 0.1)
        for e in 0..<100 {
            let expected = c.form(e, 0.1)
            #expect(abs(lr - expected) <= 1e-15 * abs(expected), "step \(e)")
            lr = try s.step(loss: 0)
        }
        #expect(s.stepCount == 100)
    }

    @Test("reduce-on-plateau halves the lr at the steps a scripted loss sequence dictates")
    func plateauScripted() throws {
        let s = try schedule("plateau", ["factor": 0.5, "patience": 2, "threshold": 0.1, "cooldown": 1, "min_lr": 0.01])
        #expect(try s.start(baseLearningRate: 1) == 1)
        // 10; 9 is not below 10·0.9; 8.5 is; 8.4, 8.3, 8.2 are not below 7.65: the third bad
        // step (6) halves lr. Then 5 forever: one cooldown step and three bad ones per halving.
        let losses = [10, 9, 8.5, 8.4, 8.3, 8.2] + [Double](repeating: 5, count: 34)
        var rates: [Double] = []
        for loss in losses { rates.append(try s.step(loss: loss)) }
        let changes = zip(rates, [1.0] + rates).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
        #expect(changes == [6, 10, 14, 18, 22, 26, 30])
        #expect(rates.last == 0.01)
    }

    @Test("plateau in mode max with an absolute threshold waits for gains above the threshold")
    func plateauMaxAbsolute() throws {
        let s = try schedule("plateau", ["mode": 1, "threshold_mode": 1, "threshold": 0.5, "patience": 1, "factor": 0.1])
        try s.start(baseLearningRate: 1)
        #expect(try s.step(loss: 1) == 1)     // better than -inf
        #expect(try s.step(loss: 1.4) == 1)   // not above 1.5: bad 1
        #expect(abs(try s.step(loss: 1.45) - 0.1) < 1e-16) // bad 2 > patience 1
        #expect(abs(try s.step(loss: 2.0) - 0.1) < 1e-16)  // better
    }

    @Test("a run sets the lr before each update and reports it; per epoch it feeds the epoch's mean batch loss")
    func scheduleInRuns() throws {
        let bowl = Bowl([1, 2, 3])
        let sgd = try optimizer("sgd", 3, ["lr": 0.4])
        var seen: [Double] = []
        var x = [0.0, 0.0, 0.0]
        _ = try run(bowl, sgd, &x) {
            $0.maxIterations = 9
            $0.schedule = try? schedule("step", ["step_size": 3, "gamma": 0.5])
            $0.progress = { info in seen.append(info.learningRate); return false }
        }
        #expect(seen == (0..<9).map { 0.4 * pow(0.5, Double($0 / 3)) })

        let data = SmallRegression()
        let losses = Recorded<Double>()
        let recorder = Schedule { _, _, lr, loss in
            if !loss.isNaN { losses.append(loss) }
            return lr
        }
        var y = [0.0, 0.0, 0.0]
        _ = try run(data, try optimizer("adam", 3, ["lr": 0.05]), &y) {
            $0.batchSize = 5
            $0.maxIterations = 0
            $0.maxEpochs = 3
            $0.schedule = recorder
            $0.schedulePerEpoch = true
        }
        let batches = data.batchLosses
        let epochMeans: [Double] = [0, 2, 4].map { (i: Int) -> Double in (batches[i] + batches[i + 1]) / 2 }
        #expect(losses.values == epochMeans)
    }

    @Test("required keys, ranges and the order of calls are checked")
    func validation() throws {
        #expect(throws: GradientDescentError.self) { try Schedule(name: "cosin") }
        let s = try Schedule(name: "cosine")
        #expect(throws: GradientDescentError.self) { try s.start(baseLearningRate: 0.1) }
        #expect(throws: GradientDescentError.self) { try s.step(loss: 0) }
        #expect(throws: GradientDescentError.self) { try s.set("t_max", to: 0.5) }
        #expect(throws: GradientDescentError.self) { try s.set("gamma", to: 0.5) }
        try s.set("t_max", to: 10)
        #expect(throws: GradientDescentError.self) { try s.start(baseLearningRate: .nan) }
        #expect(try s.start(baseLearningRate: 0.1) == 0.1)
    }

    @Test("a saved schedule loaded into a new one continues with the same lr sequence")
    func saveAndLoad() throws {
        let a = try schedule("plateau", ["patience": 0, "factor": 0.5])
        try a.start(baseLearningRate: 1)
        for loss in [3.0, 2.0, 2.5, 2.6] { try a.step(loss: loss) }
        let b = try schedule("plateau", [:])
        try a.saveState().withUnsafeBytes { try b.loadState($0) }
        #expect(try b.value(of: "factor") == 0.5)
        for loss in [2.7, 1.0, 1.5] {
            #expect(try a.step(loss: loss) == b.step(loss: loss))
        }
        let other = try Schedule(name: "step")
        #expect(throws: GradientDescentError.self) { try a.saveState().withUnsafeBytes { try other.loadState($0) } }
    }
}
