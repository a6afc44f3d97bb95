import Testing
@testable import GradientDescent

@Suite("Gradient clipping") struct ClippingTests {
    @Test("clipping by norm and by value reproduces clip_grad_norm_ and clip_grad_value_")
    func clippingFormulas() {
        var g = [3.0, 4.0]
        g.withUnsafeMutableBufferPointer { #expect(GradientClipping.clipNorm($0, norm: 5, maxNorm: 1)) }
        let coefficient = 1 / (5 + 1e-6)
        #expect(g == [3 * coefficient, 4 * coefficient])
        var h = [3.0, 4.0]
        h.withUnsafeMutableBufferPointer { #expect(!GradientClipping.clipNorm($0, norm: 5, maxNorm: 6)) }
        #expect(h == [3, 4])
        var v = [-3.0, 0.5, 2.0, .nan]
        v.withUnsafeMutableBufferPointer { #expect(GradientClipping.clipValues($0, maxValue: 1)) }
        #expect(v[0..<3] == [-1, 0.5, 1])
        #expect(v[3].isNaN)
    }

    @Test("a run clips before the update: one SGD step at lr 1 moves x by the clipped gradient")
    func clippingInARun() throws {
        var x = [0.0, 0.0, 0.0]
        let report = try run(Bowl([3, 4, 0]), try optimizer("sgd", 3, ["lr": 1]), &x) {
            $0.maxIterations = 1
            $0.clipping = GradientClipping(maxNorm: 1, maxValue: 0.7)
        }
        #expect(x == [3 / (5 + 1e-6), 0.7, 0])
        #expect(report.clippedSteps == 1)
    }
}
