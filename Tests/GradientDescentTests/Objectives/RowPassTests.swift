import Testing
@testable import GradientDescent

@Suite("Full passes over many rows")
struct RowPassTests {
    // 30011 × 13 row-elements: above the two-thread threshold (2^18).
    @Test("a pass split over two threads equals the same pass on one thread",
          arguments: ["least_squares", "logistic", "softmax"])
    func splitPassMatchesOneThread(name: String) throws {
        let data = TestData(rows: 30_011, columns: 13, classes: 4, seed: 5)
        let registry = ObjectiveRegistry.shared
        let n = name == "softmax" ? 13 * 4 : 13
        let objective = try registry.makeObjective(named: name, dimension: n, data: data.objectiveData(binary: name == "logistic"),
                                                   parameters: [("l2", 0.01)])
        let theta = randomPoint(n, seed: 8, scale: 0.3)
        let split = try evaluate(objective, theta)
        // The batch path over a permutation never splits: a single-thread reference.
        var order = Array(0..<data.rows)
        order.swapAt(0, 1)
        let single = try evaluate(objective, theta, samples: order)
        #expect(abs(split.loss - single.loss) <= 1e-12 * abs(single.loss))
        for j in 0..<n {
            #expect(abs(split.gradient[j] - single.gradient[j]) <= 1e-11 * (1 + abs(single.gradient[j])))
        }
        // Same bits on every call.
        let again = try evaluate(objective, theta)
        #expect(again.loss == split.loss && again.gradient == split.gradient)
    }

    @Test("a full least-squares run reaches the normal equations' solution to 1e-8")
    func leastSquaresRunReachesSolution() throws {
        let data = TestData(rows: 200, columns: 4, seed: 11)
        let objective = try LeastSquares(features: UnsafeBufferPointer(data.features), rows: 200, columns: 4,
                                         targets: UnsafeBufferPointer(data.targets))
        // Normal equations XᵀX θ = Xᵀy by Gaussian elimination.
        var a = [Double](repeating: 0, count: 16), b = [Double](repeating: 0, count: 4)
        for i in 0..<200 {
            for j in 0..<4 {
                b[j] += data.features[i * 4 + j] * data.targets[i]
                for k in 0..<4 { a[j * 4 + k] += data.features[i * 4 + j] * data.features[i * 4 + k] }
            }
        }
        for c in 0..<4 {
            for r in (c + 1)..<4 {
                let f = a[r * 4 + c] / a[c * 4 + c]
                for k in c..<4 { a[r * 4 + k] -= f * a[c * 4 + k] }
                b[r] -= f * b[c]
            }
        }
        for c in stride(from: 3, through: 0, by: -1) {
            for k in (c + 1)..<4 { b[c] -= a[c * 4 + k] * b[k] }
            b[c] /= a[c * 4 + c]
        }
        let optimizer = try Optimizer(rule: "sgd", dimension: 4)
        try optimizer.set("lr", to: 0.2)
        try optimizer.set("momentum", to: 0.9)
        var options = MinimizeOptions()
        options.maxIterations = 20_000
        options.gradientTolerance = 1e-12
        var theta = [Double](repeating: 0, count: 4)
        _ = try theta.withUnsafeMutableBufferPointer { x in
            try minimize(objective, optimizer: optimizer, x: x, options: options)
        }
        for j in 0..<4 { #expect(abs(theta[j] - b[j]) <= 1e-8) }
    }
}
