/// A schedule computed by the caller: lr = f(iteration, epoch, lr, loss), asked once at the
/// start (with the base lr and a NaN loss) and after every step (with the lr that step used
/// and its loss). A result that is NaN, infinite or negative aborts the run (`.callback`).
struct CallbackSchedule: ScheduleRule {
    let function: Schedule.Callback

    var name: String { "callback" }

    var hyperparameters: [Hyperparameter] { [] }

    func start(_ state: inout ScheduleState, hyperparameters: Hyperparameters,
               clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try ask(clock, state.baseLearningRate, .nan)
    }

    func advance(_ state: inout ScheduleState, loss: Double, hyperparameters: Hyperparameters,
                 clock: ScheduleClock) throws(GradientDescentError) -> Double {
        try ask(clock, state.learningRate, loss)
    }

    private func ask(_ clock: ScheduleClock, _ lr: Double, _ loss: Double) throws(GradientDescentError) -> Double {
        let next = try function(clock.iteration, clock.epoch, lr, loss)
        if !(next >= 0) || next.isInfinite {
            throw GradientDescentError(.callback,
                "the schedule callback returned \(next) at iteration \(clock.iteration); an lr must be finite and >= 0")
        }
        return next
    }
}
