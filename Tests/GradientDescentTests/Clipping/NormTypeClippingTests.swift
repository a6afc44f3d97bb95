#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import GradientDescent

@Suite("Clipping by any norm type") struct NormTypeClippingTests {
    @Test("the total norm is torch's for p = 1, 2, inf and a general p, NaN and overflow included")
    func totalNorms() {
        let g = [3.0, -4.0, 12.0, 0.0]
        g.withUnsafeBufferPointer { v in
            #expect(GradientClipping.totalNorm(v, normType: 1) == 19)
            #expect(GradientClipping.totalNorm(v, normType: 2) == 13)
            #expect(GradientClipping.totalNorm(v, normType: .infinity) == 12)
            let local = pow(pow(3.0, 3) + pow(4.0, 3) + pow(12.0, 3) + pow(0.0, 3), 1.0 / 3)
            #expect(GradientClipping.totalNorm(v, normType: 3) == pow(pow(local, 3), 1.0 / 3))
        }
        [1.0, .nan, 2.0].withUnsafeBufferPointer { v in
            #expect(GradientClipping.totalNorm(v, normType: .infinity).isNaN)
            #expect(GradientClipping.totalNorm(v, normType: 1).isNaN)
        }
        [1e155, 1.0].withUnsafeBufferPointer { v in
            #expect(GradientClipping.totalNorm(v, normType: 2) == .infinity) // s·s overflows
        }
    }

    @Test("norm_type is checked; error_if_nonfinite throws and leaves the gradient")
    func checksAndErrors() throws {
        #expect(throws: GradientDescentError.self) { try GradientClipping(maxNorm: 1, normType: 0).validate() }
        #expect(throws: GradientDescentError.self) { try GradientClipping(maxNorm: 1, normType: -2).validate() }
        #expect(throws: GradientDescentError.self) { try GradientClipping(maxNorm: 1, normType: .nan).validate() }
        try GradientClipping(maxNorm: 1, normType: .infinity).validate()
        var g = [1e120, 1e120]
        let strict = GradientClipping(maxNorm: 1, normType: 3, errorIfNonfinite: true)
        #expect(throws: GradientDescentError.self) {
            try g.withUnsafeMutableBufferPointer { _ = try strict.clip($0, l2Norm: 1.4e120) }
        }
        #expect(g == [1e120, 1e120])
        let lenient = GradientClipping(maxNorm: 1, normType: 3)
        let changed = try g.withUnsafeMutableBufferPointer { try lenient.clip($0, l2Norm: 1.4e120) }
        #expect(changed && g == [0, 0]) // torch scales by max_norm / inf = 0
    }
}
