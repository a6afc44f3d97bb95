import CGradientDescent
import GradientDescent

/// A full-batch objective whose loss and gradient come from a C function pointer.
final class CallbackObjective: Objective {
    let function: gd_objective_fn
    let user: UnsafeMutableRawPointer?
    let dimension: Int

    init(function: gd_objective_fn, user: UnsafeMutableRawPointer?, dimension: Int) {
        self.function = function
        self.user = user
        self.dimension = dimension
    }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        var loss = Double.nan
        let code = function(user, x.baseAddress, gradient?.baseAddress, dimension, &loss)
        if code != 0 {
            throw GradientDescentError(.callback, "the objective callback returned \(code)")
        }
        return loss
    }
}

/// An objective over samples whose batch loss and gradient come from a C function pointer.
final class SampledCallbackObjective: Objective {
    let function: gd_sampled_fn
    let user: UnsafeMutableRawPointer?
    let dimension: Int
    let sampleCount: Int

    init(function: gd_sampled_fn, user: UnsafeMutableRawPointer?, dimension: Int, sampleCount: Int) {
        self.function = function
        self.user = user
        self.dimension = dimension
        self.sampleCount = sampleCount
    }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        var loss = Double.nan
        let code = function(user, x.baseAddress, gradient?.baseAddress, dimension,
                            samples.baseAddress, samples.count, &loss)
        if code != 0 {
            throw GradientDescentError(.callback, "the objective callback returned \(code)")
        }
        return loss
    }

    /// Over all samples, through an index buffer 0..<m made for this call.
    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let all = try CheckedAllocation.allocate(Int.self, count: sampleCount, what: "the sample indices")
        defer { CheckedAllocation.deallocate(all) }
        for i in 0..<sampleCount { all[i] = i }
        return try evaluate(at: x, gradient: gradient, samples: UnsafeBufferPointer(all))
    }
}
