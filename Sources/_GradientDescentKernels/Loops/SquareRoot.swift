// Compiled twice (see GradientTransform.swift).
import _SquareRoot

extension Double {
    /// The correctly rounded square root, bit for bit `squareRoot()`, written so that loops
    /// over it vectorize without `-fno-math-errno` (see square_root.h): the kernels then keep
    /// their speed in a build without unsafe flags.
    @inline(__always)
    func vectorizableSquareRoot() -> Double { gradient_descent_square_root(self) }
}
