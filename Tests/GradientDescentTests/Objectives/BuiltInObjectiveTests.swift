import Testing
@testable import GradientDescent

@Suite("Built-in objectives")
struct BuiltInObjectiveTests {
    let data = TestData(rows: 97, columns: 5)

    func leastSquares(l2: Double = 0) throws -> LeastSquares {
        try LeastSquares(features: UnsafeBufferPointer(data.features), rows: data.rows, columns: data.columns,
                         targets: UnsafeBufferPointer(data.targets), l2: l2)
    }

    func logistic(l2: Double = 0) throws -> LogisticRegression {
        try LogisticRegression(features: UnsafeBufferPointer(data.features), rows: data.rows, columns: data.columns,
                               labels: UnsafeBufferPointer(data.binary), l2: l2)
    }

    func softmax(l2: Double = 0) throws -> SoftmaxRegression {
        try SoftmaxRegression(features: UnsafeBufferPointer(data.features), rows: data.rows, columns: data.columns,
                              labels: UnsafeBufferPointer(data.labels), classes: data.classes, l2: l2)
    }

    @Test("gradients match central differences at random points (relative error < 1e-6)",
          arguments: [0.0, 0.3])
    func gradientsMatchFiniteDifferences(l2: Double) throws {
        let objectives: [any Objective] = [
            try leastSquares(l2: l2), try logistic(l2: l2), try softmax(l2: l2),
            try Rosenbrock(dimension: 6),
        ]
        for objective in objectives {
            for seed in 1...3 as ClosedRange<UInt64> {
                let x = randomPoint(objective.dimension, seed: seed, scale: 1.5)
                #expect(try finiteDifferenceError(objective, at: x) < 1e-6, "\(type(of: objective)) seed \(seed)")
            }
        }
    }

    @Test("least squares is exactly 1/(2m)·‖Xθ − y‖² with gradient (1/m)·Xᵀ(Xθ − y), plus (l2/2)·‖θ‖²")
    func leastSquaresClosedForm() throws {
        let theta = randomPoint(data.columns, seed: 9)
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: data.columns)
        for i in 0..<data.rows {
            var r = -data.targets[i]
            for j in 0..<data.columns { r += data.features[i * data.columns + j] * theta[j] }
            loss += r * r / Double(2 * data.rows)
            for j in 0..<data.columns { gradient[j] += r * data.features[i * data.columns + j] / Double(data.rows) }
        }
        let plain = try evaluate(leastSquares(), theta)
        #expect(abs(plain.loss - loss) <= 1e-13 * loss)
        for j in 0..<data.columns { #expect(abs(plain.gradient[j] - gradient[j]) <= 1e-13) }
        let regular = try evaluate(leastSquares(l2: 0.5), theta)
        let norm2 = theta.reduce(0) { $0 + $1 * $1 }
        #expect(abs(regular.loss - (loss + 0.25 * norm2)) <= 1e-13)
        for j in 0..<data.columns { #expect(abs(regular.gradient[j] - (gradient[j] + 0.5 * theta[j])) <= 1e-13) }
    }

    @Test("a batch is the mean over its rows, and all rows in order equal the full evaluation")
    func batchesAreMeansOverTheirRows() throws {
        let objective = try logistic(l2: 0.1)
        let theta = randomPoint(data.columns, seed: 4)
        let batch = [5, 17, 3, 96, 40]
        let together = try evaluate(objective, theta, samples: batch)
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: data.columns)
        for i in batch {
            let single = try evaluate(objective, theta, samples: [i])
            loss += single.loss / Double(batch.count)
            for j in 0..<data.columns { gradient[j] += single.gradient[j] / Double(batch.count) }
        }
        // Each single-row evaluation added the l2 term once; so does the batch.
        #expect(abs(together.loss - loss) <= 1e-12)
        for j in 0..<data.columns { #expect(abs(together.gradient[j] - gradient[j]) <= 1e-12) }

        let all = try evaluate(objective, theta, samples: Array(0..<data.rows))
        let full = try evaluate(objective, theta)
        #expect(all.loss == full.loss && all.gradient == full.gradient)
        let reversed = try evaluate(objective, theta, samples: Array((0..<data.rows).reversed()))
        #expect(abs(reversed.loss - full.loss) <= 1e-13)
    }

    @Test("a bad sample index is an error, not a read out of bounds")
    func badSampleIndex() throws {
        let objective = try leastSquares()
        let theta = [Double](repeating: 0, count: data.columns)
        #expect(throws: GradientDescentError.self) { try evaluate(objective, theta, samples: [0, data.rows]) }
        #expect(throws: GradientDescentError.self) { try evaluate(objective, theta, samples: [-1]) }
    }

    @Test("logistic loss is exact and finite at z = ±1000")
    func logisticIsStable() throws {
        let x: [Double] = [1000, -1000, 1000, -1000]
        let y: [Double] = [1, 0, 0, 1]
        let objective = try x.withUnsafeBufferPointer { x in
            try y.withUnsafeBufferPointer { y in
                try LogisticRegression(features: x, rows: 4, columns: 1, labels: y)
            }
        }
        // Rows 0 and 1 are right with margin 1000 (loss e^-1000, 0 in doubles); rows 2 and 3 wrong (loss 1000).
        let result = try x.withUnsafeBufferPointer { _ in try evaluate(objective, [1]) }
        #expect(result.loss == 500)
        #expect(result.gradient == [500])
    }

    @Test("softmax at θ = 0 is log K, and huge scores stay finite (log-sum-exp)")
    func softmaxClosedForm() throws {
        let objective = try softmax()
        let zero = try evaluate(objective, [Double](repeating: 0, count: objective.dimension))
        #expect(abs(zero.loss - StableFunctions.logarithm(Double(data.classes))) <= 1e-14)
        let huge = try evaluate(objective, randomPoint(objective.dimension, seed: 3, scale: 1e5))
        #expect(huge.loss.isFinite && huge.gradient.allSatisfy(\.isFinite))
    }

    @Test("Rosenbrock is 0 with a zero gradient at (1, …, 1); quadratic's gradient is ½(A + Aᵀ)x − b")
    func testFunctions() throws {
        let rosenbrock = try Rosenbrock(dimension: 5)
        let atMinimum = try evaluate(rosenbrock, [1, 1, 1, 1, 1])
        #expect(atMinimum.loss == 0 && atMinimum.gradient.allSatisfy { $0 == 0 })
        #expect(abs(try evaluate(rosenbrock, [-1.2, 1, 1, 1, 1]).loss - 24.2) <= 1e-12)

        let a: [Double] = [2, 1, 0, 3, 4, 1, 0, 2, 5]   // not symmetric
        let b: [Double] = [1, -1, 2]
        let x: [Double] = [0.5, -2, 1]
        let quadratic = try a.withUnsafeBufferPointer { a in
            try b.withUnsafeBufferPointer { b in try Quadratic(matrix: a, dimension: 3, vector: b) }
        }
        let result = try a.withUnsafeBufferPointer { _ in try b.withUnsafeBufferPointer { _ in try evaluate(quadratic, x) } }
        var expectedLoss = 0.0
        for i in 0..<3 {
            for j in 0..<3 { expectedLoss += 0.5 * x[i] * a[i * 3 + j] * x[j] }
            expectedLoss -= b[i] * x[i]
        }
        #expect(abs(result.loss - expectedLoss) <= 1e-14)
        for i in 0..<3 {
            var g = -b[i]
            for j in 0..<3 { g += 0.5 * (a[i * 3 + j] + a[j * 3 + i]) * x[j] }
            #expect(abs(result.gradient[i] - g) <= 1e-14)
        }
    }

    @Test("bad data is rejected at construction")
    func badData() throws {
        let features = UnsafeBufferPointer(data.features)
        #expect(throws: GradientDescentError.self) {
            try LeastSquares(features: features, rows: data.rows, columns: data.columns + 1,
                             targets: UnsafeBufferPointer(data.targets))
        }
        #expect(throws: GradientDescentError.self) { try leastSquares(l2: -1) }
        #expect(throws: GradientDescentError.self) { try leastSquares(l2: .nan) }
        let saved = data.labels[3]
        data.labels[3] = Int64(data.classes)
        #expect(throws: GradientDescentError.self) { try softmax() }
        data.labels[3] = saved
        #expect(throws: GradientDescentError.self) { try Rosenbrock(dimension: 1) }
    }
}
