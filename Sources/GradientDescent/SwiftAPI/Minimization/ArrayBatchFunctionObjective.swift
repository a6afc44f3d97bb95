/// A closure over mini-batches of arrays as the core's sampled `Objective`: the function
/// gets x, the gradient to write and the batch's sample indices, each an array made once per
/// run (a full evaluation passes every index).
final class ArrayBatchFunctionObjective: Objective {
    typealias Function = (_ x: [Double], _ gradient: inout [Double], _ batch: [Int]) throws -> Double

    let dimension: Int
    let sampleCount: Int
    private let function: Function
    private var xArray: [Double]
    private var gradientArray: [Double]
    private var batchArray: [Int]
    /// What the function threw, kept to hand back unchanged.
    private(set) var thrown: (any Error)?

    init(dimension: Int, sampleCount: Int, function: @escaping Function) {
        self.dimension = dimension
        self.sampleCount = sampleCount
        self.function = function
        xArray = Array(repeating: 0, count: dimension)
        gradientArray = Array(repeating: 0, count: dimension)
        batchArray = []
        batchArray.reserveCapacity(sampleCount)
    }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        batchArray.removeAll(keepingCapacity: true)
        batchArray.append(contentsOf: 0..<sampleCount)
        return try call(x, gradient)
    }

    func evaluate(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        batchArray.removeAll(keepingCapacity: true)
        batchArray.append(contentsOf: samples)
        return try call(x, gradient)
    }

    private func call(_ x: UnsafeBufferPointer<Double>,
                      _ gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        xArray.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: x) }
        gradientArray.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        let loss: Double
        do {
            loss = try function(xArray, &gradientArray, batchArray)
        } catch {
            thrown = error
            throw GradientDescentError(.callback, "the function threw: \(error)")
        }
        guard gradientArray.count == dimension else {
            throw GradientDescentError(.callback,
                "the function changed the gradient's count from \(dimension) to \(gradientArray.count)")
        }
        if let gradient {
            gradientArray.withUnsafeBufferPointer { _ = gradient.update(fromContentsOf: $0) }
        }
        return loss
    }
}
