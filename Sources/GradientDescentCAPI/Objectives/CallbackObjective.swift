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
    /// 0..<sampleCount for full evaluations, made on first use and kept, so a full-batch run
    /// over a sampled callback allocates nothing per iteration and passes one samples buffer.
    private var allSamples: UnsafeMutableBufferPointer<Int>? = nil

    init(function: gd_sampled_fn, user: UnsafeMutableRawPointer?, dimension: Int, sampleCount: Int) {
        self.function = function
        self.user = user
        self.dimension = dimension
        self.sampleCount = sampleCount
    }

    deinit {
        if let allSamples { CheckedAllocation.deallocate(allSamples) }
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

    /// Over all samples.
    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        let all: UnsafeMutableBufferPointer<Int>
        if let allSamples {
            all = allSamples
        } else {
            all = try CheckedAllocation.allocate(Int.self, count: sampleCount, what: "the sample indices")
            for i in 0..<sampleCount { all[i] = i }
            allSamples = all
        }
        return try evaluate(at: x, gradient: gradient, samples: UnsafeBufferPointer(all))
    }
}
