@testable import GradientDescent

/// f(x) = 1/2 Σ (x_i − c_i)², failing or non-finite on chosen calls. With SGD at lr 0.5 the
/// error halves at every step, so the iteration at which each criterion fires is known exactly.
final class Bowl: Objective {
    let center: [Double]
    var calls = 0
    var failAt = 0
    var nonFiniteCalls: ClosedRange<Int>? = nil
    var dimension: Int { center.count }

    init(_ center: [Double]) { self.center = center }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        calls += 1
        if calls == failAt { throw GradientDescentError(.callback, "failing on call \(calls)") }
        var sum = 0.0
        for i in 0..<center.count {
            let d = x[i] - center[i]
            sum += d * d
            gradient?[i] = d
        }
        return nonFiniteCalls?.contains(calls) == true ? .nan : 0.5 * sum
    }
}

/// Least squares over 10 rows a_s = (1, s/10, s mod 3 − 1), b_s = sin(s): the mean of
/// 1/2 (a_s·x − b_s)² over a batch (the C tests use the same data).
final class SmallRegression: Objective {
    var dimension: Int { 3 }
    var sampleCount: Int { 10 }
    var batchLosses: [Double] = []

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        mean(at: x, gradient: gradient, over: 0..<sampleCount)
    }

    func evaluate(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        let loss = mean(at: x, gradient: gradient, over: samples)
        if samples.count < sampleCount { batchLosses.append(loss) }
        return loss
    }

    private func mean(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                      over samples: some Collection<Int>) -> Double {
        var sum = 0.0
        var g = [0.0, 0.0, 0.0]
        for s in samples {
            let a = [1.0, Double(s) / 10, Double(s % 3) - 1]
            let r = a[0] * x[0] + a[1] * x[1] + a[2] * x[2] - sin(Double(s))
            sum += 0.5 * r * r
            for i in 0..<3 { g[i] += r * a[i] }
        }
        let count = Double(samples.count)
        for i in 0..<3 { gradient?[i] = g[i] / count }
        return sum / count
    }
}

/// Values a @Sendable callback records (tests run it on one thread).
final class Recorded<Value>: @unchecked Sendable {
    private(set) var values: [Value] = []
    func append(_ value: Value) { values.append(value) }
}

/// Runs `minimize` on an array.
func run(_ objective: any Objective, _ optimizer: Optimizer, _ x: inout [Double],
             _ configure: (inout MinimizeOptions) -> Void = { _ in }) throws -> Report {
    var options = MinimizeOptions()
    configure(&options)
    return try x.withUnsafeMutableBufferPointer { buffer in
        try minimize(objective, optimizer: optimizer, x: buffer, options: options)
    }
}

/// SGD over `n` parameters at learning rate `lr`.
func sgd(_ n: Int, lr: Double) throws -> Optimizer {
    try optimizer("sgd", n, ["lr": lr])
}

/// An optimizer of `rule` over `dimension` parameters with `settings` applied.
func optimizer(_ rule: String, _ dimension: Int, _ settings: [String: Double]) throws -> Optimizer {
    let optimizer = try Optimizer(rule: rule, dimension: dimension)
    for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
        try optimizer.set(key, to: value)
    }
    return optimizer
}

/// A schedule named `name` with `settings` applied.
func schedule(_ name: String, _ settings: [String: Double]) throws -> Schedule {
    let schedule = try Schedule(name: name)
    for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
        try schedule.set(key, to: value)
    }
    return schedule
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
