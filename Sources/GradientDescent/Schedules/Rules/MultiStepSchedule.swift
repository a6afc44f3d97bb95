/// torch.optim.lr_scheduler.MultiStepLR: lr · gamma^(number of milestones <= e). The
/// milestones are the keys milestone_1 ... milestone_8 (0: unused), in any order; a milestone
/// given twice decays twice, as in PyTorch's Counter.
struct MultiStepSchedule: ClosedFormSchedule {
    static let capacity = 8

    var name: String { "multistep" }

    var hyperparameters: [Hyperparameter] {
        (1...MultiStepSchedule.capacity).map { Hyperparameter("milestone_\($0)", 0, .nonNegativeInteger) }
            + [Hyperparameter("gamma", 0.1, .nonNegative)]
    }

    private var gammaIndex: Int { MultiStepSchedule.capacity }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        if !(0..<MultiStepSchedule.capacity).contains(where: { h.values[$0] > 0 }) {
            throw GradientDescentError(.invalidArgument, "multistep schedule needs milestone_1 (> 0) to be set")
        }
    }

    /// bisect_right(sorted milestones, e): the milestones at or before e.
    private func passed(_ step: UInt64, _ h: Hyperparameters) -> Int {
        var count = 0
        for index in 0..<MultiStepSchedule.capacity where h.values[index] > 0 && h.values[index] <= Double(step) {
            count += 1
        }
        return count
    }

    func rate(step: UInt64, base: Double, hyperparameters h: Hyperparameters) -> Double {
        base * power(h.values[gammaIndex], Double(passed(step, h)))
    }
}

extension MultiStepSchedule: ChainableSchedule {
    /// MultiStepLR.get_lr: lr · gamma^(milestones equal to e).
    func chained(_ state: inout ScheduleState, current: Double, hyperparameters h: Hyperparameters) -> Double {
        var count = 0
        for index in 0..<MultiStepSchedule.capacity where h.values[index] > 0 && h.values[index] == Double(state.steps) {
            count += 1
        }
        return count == 0 ? current : current * power(h.values[gammaIndex], Double(count))
    }
}
