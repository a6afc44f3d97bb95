import Testing
@testable import GradientDescent

@Suite("Gradient check") struct GradientCheckTests {
    @Test("the gradient check passes a correct gradient and names the component of a wrong one")
    func gradientCheck() throws {
        let bowl = Bowl([1, -2, 0.5, 4])
        let x = [0.3, 0.1, -2.0, 7.0]
        let good = try x.withUnsafeBufferPointer { try checkGradient(bowl, at: $0) }
        #expect(good.error < 1e-9)
        #expect(good.evaluations == 9)

        final class Wrong: Objective {
            var dimension: Int { 3 }
            func evaluate(at x: UnsafeBufferPointer<Double>,
                          gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
                gradient?[0] = 2 * x[0]
                gradient?[1] = 3 * x[1] * x[1] * 1.001 // 0.1% off
                gradient?[2] = 1
                return x[0] * x[0] + x[1] * x[1] * x[1] + x[2]
            }
        }
        let bad = try [1.0, 2.0, 3.0].withUnsafeBufferPointer { try checkGradient(Wrong(), at: $0) }
        #expect(bad.worstIndex == 1)
        #expect(abs(bad.analytic - 12.012) < 1e-12)
        #expect(abs(bad.numeric - 12) < 1e-7)
        #expect(abs(bad.relativeError - 0.012 / 12.012) < 1e-7)
    }
}
