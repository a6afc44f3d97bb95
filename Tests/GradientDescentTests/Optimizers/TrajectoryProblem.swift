#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import GradientDescent

/// The gradient sequence the trajectory tests feed to both the library and the references:
/// the gradient of a diagonal quadratic with distinct curvatures and centres, plus a
/// sinusoid in the step number that changes sign, so that moments rise and fall and the
/// amsgrad maximum, Adamax's infinity norm and RAdam's rectification all matter.
/// With `concave` the quadratic term flips sign: the objective is then one to maximize.
struct TrajectoryProblem {
    static let dimension = 7
    static let steps = 300

    let concave: Bool

    static let curvature: [Double] = [0.5, 1.0, 1.7, 2.3, 3.0, 0.8, 1.3]
    static let centre: [Double] = [1.0, -2.0, 0.5, 3.0, -0.7, 0.0, 2.2]
    static let start: [Double] = [-1.5, 0.3, 2.0, -0.4, 1.1, 0.9, -2.5]

    func gradient(at x: [Double], step t: Int) -> [Double] {
        (0..<x.count).map { i in
            let quadratic = TrajectoryProblem.curvature[i] * (x[i] - TrajectoryProblem.centre[i])
            return (concave ? -quadratic : quadratic) + 0.8 * sin(0.37 * Double(t) + 1.3 * Double(i))
        }
    }

    /// x after each step of the library's optimizer. `learningRate`, when given, sets the
    /// learning rate before each step (a schedule driven from outside).
    func libraryTrajectory(_ optimizer: Optimizer, steps: Int = TrajectoryProblem.steps,
                           learningRate: ((Int) -> Double)? = nil) -> [[Double]] {
        var x = TrajectoryProblem.start
        var trajectory: [[Double]] = []
        for t in 1...steps {
            if let learningRate { optimizer.learningRate = learningRate(t) }
            let g = gradient(at: x, step: t)
            x.withUnsafeMutableBufferPointer { xBuffer in
                g.withUnsafeBufferPointer { optimizer.step(xBuffer, gradient: $0) }
            }
            trajectory.append(x)
        }
        return trajectory
    }

    /// x after each step of a reference rule.
    func referenceTrajectory(_ rule: String, _ settings: [String: Double],
                             steps: Int = TrajectoryProblem.steps,
                             learningRate: ((Int) -> Double)? = nil) -> [[Double]] {
        var reference = makeReferenceRule(rule, settings, dimension: TrajectoryProblem.dimension)
        var x = TrajectoryProblem.start
        var trajectory: [[Double]] = []
        for t in 1...steps {
            if let learningRate { reference.s["lr"] = learningRate(t) }
            let g = gradient(at: x, step: t)
            reference.step(&x, g, t: t)
            trajectory.append(x)
        }
        return trajectory
    }
}

/// The worst, over all steps, of max_i |a_i - b_i| / max_i |b_i|: the relative distance of a
/// trajectory from a reference, measured on the scale of the iterate at each step.
func worstRelativeDistance(_ a: [[Double]], from b: [[Double]]) -> (distance: Double, step: Int) {
    precondition(a.count == b.count)
    var worst = (distance: 0.0, step: 0)
    for (t, (xa, xb)) in zip(a, b).enumerated() {
        var difference = 0.0, scale = 0.0
        for (u, v) in zip(xa, xb) {
            difference = max(difference, abs(u - v))
            scale = max(scale, abs(v))
        }
        let distance = difference.isNaN ? .infinity : difference / max(scale, 1e-300)
        if distance > worst.distance { worst = (distance, t + 1) }
    }
    return worst
}
