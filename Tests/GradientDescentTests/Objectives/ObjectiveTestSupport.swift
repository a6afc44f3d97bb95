@testable import GradientDescent

/// Owned data for objective tests: the objectives borrow it, so it lives as long as the test.
final class TestData {
    let rows: Int
    let columns: Int
    let features: UnsafeMutableBufferPointer<Double>
    let targets: UnsafeMutableBufferPointer<Double>
    let binary: UnsafeMutableBufferPointer<Double>
    let classes: Int
    let labels: UnsafeMutableBufferPointer<Int64>

    /// A seeded data set: column 0 is ones, the others uniform in [-2, 2).
    init(rows: Int, columns: Int, classes: Int = 3, seed: UInt64 = 1) {
        self.rows = rows
        self.columns = columns
        self.classes = classes
        var random = Xoshiro256StarStar(seed: seed)
        features = .allocate(capacity: rows * columns)
        targets = .allocate(capacity: rows)
        binary = .allocate(capacity: rows)
        labels = .allocate(capacity: rows)
        for i in 0..<rows {
            var z = 0.0
            for j in 0..<columns {
                let value = j == 0 ? 1 : 4 * random.nextUnit() - 2
                features[i * columns + j] = value
                z += value * (Double(j % 3) - 0.8)
            }
            targets[i] = z + 0.1 * (random.nextUnit() - 0.5)
            binary[i] = random.nextUnit() < 1 / (1 + (-z).exponential) ? 1 : 0
            labels[i] = Int64(min(classes - 1, max(0, Int((z + 3) / 6 * Double(classes)))))
        }
    }

    deinit {
        features.deallocate()
        targets.deallocate()
        binary.deallocate()
        labels.deallocate()
    }

    /// The borrowed description; y holds the binary labels when `binary` is true.
    func objectiveData(binary useBinary: Bool = false) -> ObjectiveData {
        ObjectiveData(features: UnsafePointer(features.baseAddress), rows: rows, columns: columns,
                      targets: UnsafePointer((useBinary ? binary : targets).baseAddress),
                      labels: UnsafePointer(labels.baseAddress), classes: classes)
    }
}

extension Double {
    var exponential: Double { StableFunctions.exponential(self) }
}

extension Xoshiro256StarStar {
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

/// Loss and gradient at x (over all samples).
func evaluate(_ objective: any Objective, _ x: [Double]) throws -> (loss: Double, gradient: [Double]) {
    var gradient = [Double](repeating: .nan, count: x.count)
    let loss = try x.withUnsafeBufferPointer { x in
        try gradient.withUnsafeMutableBufferPointer { g in
            try objective.evaluate(at: x, gradient: g)
        }
    }
    return (loss, gradient)
}

/// Loss and gradient over a batch of sample indices.
func evaluate(_ objective: any Objective, _ x: [Double], samples: [Int]) throws -> (loss: Double, gradient: [Double]) {
    var gradient = [Double](repeating: .nan, count: x.count)
    let loss = try x.withUnsafeBufferPointer { x in
        try gradient.withUnsafeMutableBufferPointer { g in
            try samples.withUnsafeBufferPointer { s in
                try objective.evaluate(at: x, gradient: g, samples: s)
            }
        }
    }
    return (loss, gradient)
}

/// The largest relative difference between the gradient and central differences at x:
/// |g_i − fd_i| / max(|fd_i|, 1e-3).
func finiteDifferenceError(_ objective: any Objective, at x: [Double]) throws -> Double {
    let gradient = try evaluate(objective, x).gradient
    var worst = 0.0
    for i in 0..<x.count {
        let h = 1e-5 * (1 + abs(x[i]))
        var up = x, down = x
        up[i] += h
        down[i] -= h
        let fd = (try evaluate(objective, up).loss - evaluate(objective, down).loss) / (2 * h)
        worst = max(worst, abs(gradient[i] - fd) / max(abs(fd), 1e-3))
    }
    return worst
}

/// A seeded random point with entries in [-scale, scale).
func randomPoint(_ n: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var random = Xoshiro256StarStar(seed: seed)
    return (0..<n).map { _ in scale * (2 * random.nextUnit() - 1) }
}
