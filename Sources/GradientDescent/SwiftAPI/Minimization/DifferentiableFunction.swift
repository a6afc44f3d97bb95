/// A function of an array and its gradient, as a type; ``minimize(_:x:optimizer:options:progress:)``
/// drives it. (Closures work too: ``minimize(x:optimizer:options:progress:_:)``.)
///
/// For the library's own objectives over data (``LeastSquares``, ...), or ones from plugins
/// and foreign libraries, use ``minimize(_:x:optimizer:options:progress:)`` with
/// `any Objective`.
public protocol DifferentiableFunction {
    /// f(x); writes ∇f(x) into `gradient`, which has `x.count` entries, all 0 on entry.
    /// An error thrown here stops the run: ``MinimizeError/functionThrew(_:report:)``.
    func value(at x: [Double], gradient: inout [Double]) throws -> Double
}
