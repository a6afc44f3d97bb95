/// A function of arrays (a closure or a ``DifferentiableFunction``) as the core's
/// `Objective`. The two arrays are made once per run and handed to the function on every
/// evaluation, so a function that does not keep them causes no allocation.
final class ArrayFunctionObjective: Objective {
    typealias Function = (_ x: [Double], _ gradient: inout [Double]) throws -> Double

    let dimension: Int
    private let function: Function
    private var xArray: [Double]
    private var gradientArray: [Double]
    /// What the function threw, kept to hand back unchanged.
    private(set) var thrown: (any Error)?

    init(dimension: Int, function: @escaping Function) {
        self.dimension = dimension
        self.function = function
        xArray = Array(repeating: 0, count: dimension)
        gradientArray = Array(repeating: 0, count: dimension)
    }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        xArray.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: x) }
        gradientArray.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        let loss: Double
        do {
            loss = try function(xArray, &gradientArray)
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
