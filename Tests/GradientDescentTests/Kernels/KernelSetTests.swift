#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import _CPUFeatures
import _GradientDescentKernels
@testable import _GradientDescentKernelsHaswell
@testable import GradientDescent

/// The update rules' loops exist twice (BaselineKernels, HaswellKernels): these tests hold the
/// promise that the choice between them never changes a bit.
@Suite("Kernel sets: the Haswell loops compute the baseline's bits")
struct KernelSetTests {
    static let haswellRuns = gradient_descent_cpu_has_x86_64_v3() != 0

    /// 1027 elements (not a multiple of 4, so the loops' remainders run) whose gradients and
    /// state span every kind of double: zeros of both signs, subnormals, values whose square
    /// underflows or overflows, ordinary values, infinities and NaN.
    struct Buffers {
        static let count = 1027
        var x: [Double]
        var gradient: [Double]
        var state: [[Double]]

        init(stateBuffers: Int, seed: UInt64) {
            var generator = SplitMix(seed: seed)
            let special: [Double] = [0, -0.0, .leastNonzeroMagnitude, -Double.leastNormalMagnitude / 1024, 1e-170, -1e-160, 1e-100, 3e150, -1e200,
                                     .infinity, -.infinity, .nan, 1, -1, 0.5, 1e-8]
            func value(_ i: Int) -> Double {
                if i % 7 == 3 { return special[(i / 7) % special.count] }
                let magnitude = Double.pow10(Int(generator.next() % 13) - 6)
                return (generator.unit() * 2 - 1) * magnitude
            }
            x = (0..<Buffers.count).map { i in i % 11 == 5 ? value(i + 1) : generator.unit() * 4 - 2 }
            gradient = (0..<Buffers.count).map(value)
            // State as a run leaves it: non-negative second moments, any first moments.
            state = (0..<stateBuffers).map { b in
                (0..<Buffers.count).map { i in b == 0 ? value(i + 3) : abs(value(i + 5)) }
            }
        }
    }

    /// Runs `step` three times on each kernel set from the same buffers and requires every
    /// buffer to end with the same bits.
    func expectSameBits(_ label: String, stateBuffers: Int, seed: UInt64,
                        _ step: (any UpdateKernels.Type, UnsafeMutablePointer<Double>, UnsafePointer<Double>,
                                 [UnsafeMutablePointer<Double>]) -> Void) {
        guard KernelSetTests.haswellRuns else { return }
        var results: [[[Double]]] = []
        for kernels: any UpdateKernels.Type in [BaselineKernels.self, HaswellKernels.self] {
            var buffers = Buffers(stateBuffers: stateBuffers, seed: seed)
            let n = Buffers.count
            let state = buffers.state.map { values in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: n)
                p.initialize(from: values, count: n)
                return p
            }
            buffers.x.withUnsafeMutableBufferPointer { x in
                buffers.gradient.withUnsafeBufferPointer { g in
                    for _ in 0..<3 { step(kernels, x.baseAddress!, g.baseAddress!, state) }
                }
            }
            results.append([buffers.x] + state.map { Array(UnsafeBufferPointer(start: $0, count: n)) })
            state.forEach { $0.deallocate() }
        }
        for (b, (baseline, haswell)) in zip(results[0], results[1]).enumerated() {
            let differing = zip(baseline, haswell).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
            #expect(differing.isEmpty,
                    "\(label): buffer \(b) differs at \(differing.prefix(3).map { "\($0.offset): \($0.element.0) vs \($0.element.1)" })")
        }
    }

    static let transforms: [GradientTransformKind] = [.plain, .negated, .decayed, .negatedDecayed]

    @Test("adam and adamw, every flag, bias corrections from step 1 to 10^6")
    func adam() {
        for transform in Self.transforms {
            for beta1 in [0.9, 0.3] {
                for amsgrad in [false, true] {
                    for decoupled in [false, true] {
                        for (index, biasCorrection2Sqrt) in [0.0316227766016838, 1.0.nextDown, 1.0, 0.7, 3.2e-8].enumerated() {
                            let label = "adam \(transform) beta1=\(beta1) amsgrad=\(amsgrad) decoupled=\(decoupled) bc2=\(biasCorrection2Sqrt)"
                            expectSameBits(label, stateBuffers: 3, seed: UInt64(index)) { kernels, x, g, s in
                                kernels.adam(AdamStep(
                                    x: x, gradient: g, expAvg: s[0], expAvgSq: s[1], maxExpAvgSq: s[2],
                                    count: Buffers.count, transform: transform, weightDecay: 0.01,
                                    decayFactor: 1 - 1e-3 * 0.01, firstMomentWeight: 1 - beta1,
                                    beta2: 0.999, oneMinusBeta2: 1 - 0.999,
                                    biasCorrection2Sqrt: biasCorrection2Sqrt, eps: 1e-8,
                                    negativeStepSize: -1e-3 / 0.1, amsgrad: amsgrad, decoupledDecay: decoupled))
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("sgd, rmsprop, adagrad, adadelta, adamax, nadam, radam, rprop, asgd, every flag")
    func otherRules() {
        for transform in Self.transforms {
            for flags in 0..<4 {
                let (first, second) = (flags & 1 == 1, flags & 2 == 2)
                let label = "\(transform) flags=\(flags)"
                expectSameBits("sgd " + label, stateBuffers: 1, seed: 11) { kernels, x, g, s in
                    kernels.sgd(SGDStep(x: x, gradient: g, buffer: s[0], count: Buffers.count, transform: transform,
                                        negativeLR: -0.01, weightDecay: 0.05, momentum: 0.9, gradientWeight: 0.7,
                                        useMomentum: first || second, started: first, nesterov: second))
                }
                expectSameBits("rmsprop " + label, stateBuffers: 3, seed: 12) { kernels, x, g, s in
                    kernels.rmsprop(RMSpropStep(x: x, gradient: g, squareAvg: s[1], gradAvg: s[0], momentumBuffer: s[2],
                                                count: Buffers.count, transform: transform, weightDecay: 0.05,
                                                alpha: first ? 0.3 : 0.99, oneMinusAlpha: first ? 0.7 : 1 - 0.99,
                                                gradAvgWeight: first ? 0.7 : 1 - 0.99, eps: 1e-8,
                                                momentum: second ? 0.8 : 0, negativeLR: -0.01, centered: first))
                }
                expectSameBits("adagrad " + label, stateBuffers: 1, seed: 13) { kernels, x, g, s in
                    kernels.adagrad(AdagradStep(x: x, gradient: g, sum: s[0], count: Buffers.count, transform: transform,
                                                weightDecay: 0.05, eps: 1e-10, negativeCLR: -0.01))
                }
                expectSameBits("adadelta " + label, stateBuffers: 2, seed: 14) { kernels, x, g, s in
                    kernels.adadelta(AdadeltaStep(x: x, gradient: g, squareAvg: s[1], accDelta: s[0].abs(Buffers.count),
                                                  count: Buffers.count, transform: transform, weightDecay: 0.05,
                                                  rho: 0.9, oneMinusRho: 1 - 0.9, eps: 1e-6, negativeLR: -1))
                }
                expectSameBits("adamax " + label, stateBuffers: 2, seed: 15) { kernels, x, g, s in
                    kernels.adamax(AdamaxStep(x: x, gradient: g, expAvg: s[0], expInf: s[1], count: Buffers.count,
                                              transform: transform, weightDecay: 0.05,
                                              firstMomentWeight: first ? 0.7 : 0.1, beta2: 0.999, eps: 1e-8,
                                              negativeCLR: -0.02))
                }
                expectSameBits("nadam " + label, stateBuffers: 2, seed: 16) { kernels, x, g, s in
                    kernels.nadam(NAdamStep(x: x, gradient: g, expAvg: s[0], expAvgSq: s[1], count: Buffers.count,
                                            transform: transform, weightDecay: 0.05, decayFactor: first ? 1 - 0.002 * 0.05 : 1,
                                            firstMomentWeight: first ? 0.7 : 0.1, beta2: 0.999, oneMinusBeta2: 1 - 0.999,
                                            biasCorrection2: second ? 0.001 : 0.3, eps: 1e-8,
                                            gradientCoefficient: -0.002 * 0.55, momentCoefficient: -0.002 * 0.9))
                }
                expectSameBits("radam " + label, stateBuffers: 2, seed: 17) { kernels, x, g, s in
                    kernels.radam(RAdamStep(x: x, gradient: g, expAvg: s[0], expAvgSq: s[1], count: Buffers.count,
                                            transform: transform, weightDecay: 0.05, decayFactor: second ? 1 : 1 - 1e-3 * 0.05,
                                            firstMomentWeight: first ? 0.7 : 0.1, beta2: 0.999, oneMinusBeta2: 1 - 0.999,
                                            biasCorrection1: 0.19, biasCorrection2Sqrt: 0.0447, lr: 1e-3, eps: 1e-8,
                                            rect: 0.8, rectified: second))
                }
                expectSameBits("rprop " + label, stateBuffers: 2, seed: 18) { kernels, x, g, s in
                    kernels.rprop(RpropStep(x: x, gradient: g, previous: s[0], stepSize: s[1].abs(Buffers.count),
                                            count: Buffers.count, maximize: first, etaminus: second ? 0.3 : 0.5,
                                            etaplus: 1.2, stepSizeMin: 1e-6, stepSizeMax: 50))
                }
                expectSameBits("asgd " + label, stateBuffers: 1, seed: 19) { kernels, x, g, s in
                    kernels.asgd(ASGDStep(x: x, gradient: g, average: s[0], count: Buffers.count, transform: transform,
                                          weightDecay: 0.05, decayFactor: 1 - 1e-4 * 0.01, negativeEta: -0.01,
                                          mu: first ? 1 : 0.25))
                }
            }
        }
    }

    @Test("the Haswell copy's division by a step constant has the bits of a / divisor")
    func constantDivisorIsExact() {
        guard KernelSetTests.haswellRuns else { return }
        var generator = SplitMix(seed: 2024)
        // Divisors as the rules make them (in [2^-30, 1]), with all-ones and all-zeros
        // significands among them; dividends 0 or with magnitudes 2^-600 ... 2^600.
        var divisors: [Double] = [1, 1.0.nextDown, 0.5, 0.5.nextDown, 0.5.nextUp, 0x1p-30, 0.0316227766016838]
        for _ in 0..<400 {
            divisors.append(Double(sign: .plus, exponent: -Int(generator.next() % 31),
                                   significand: 1 + generator.unit()).clamped(to: 0x1p-30...1))
        }
        var mismatches: [(Double, Double)] = []
        for divisor in divisors {
            let constant = ConstantDivisor(divisor)
            var dividends: [Double] = [0, 1, 1.0.nextDown, 2.0.nextDown, 0x1p-600, .infinity, .nan]
            for _ in 0..<2_000 {
                dividends.append(Double(sign: .plus, exponent: Int(generator.next() % 1201) - 600,
                                        significand: 1 + generator.unit()))
            }
            for a in dividends where constant.divide(a).bitPattern != (a / divisor).bitPattern {
                mismatches.append((a, divisor))
            }
        }
        #expect(mismatches.isEmpty, "a / divisor differs for \(mismatches.prefix(5))")
    }

    @Test("the dispatcher runs the Haswell loops exactly where the CPU has x86-64-v3")
    func dispatchFollowsTheCPU() {
        let forcedBaseline = getenv("GRADIENT_DESCENT_KERNELS").map { String(cString: $0) } == "baseline"
        #expect(KernelDispatch.name == (KernelSetTests.haswellRuns && !forcedBaseline ? "haswell" : "baseline"))
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }

    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(e) { r *= 10 }
        return e < 0 ? 1 / r : r
    }
}

extension UnsafeMutablePointer<Double> {
    /// Adadelta's accumulated update is a sum of squares: make it non-negative in place.
    func abs(_ count: Int) -> UnsafeMutablePointer<Double> {
        for i in 0..<count { self[i] = Swift.abs(self[i]) }
        return self
    }
}
