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
    /// The Haswell loops can run only where the CPU has x86-64-v3; elsewhere these tests are
    /// reported as skipped.
    static let haswellOnly = ConditionTrait.enabled(if: haswellRuns, "the CPU lacks x86-64-v3 (AVX2, FMA, BMI2)")

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

    @Test("adam and adamw, every flag, bias corrections from step 1 to 10^6", KernelSetTests.haswellOnly)
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

    @Test("sgd, rmsprop, adagrad, adadelta, adamax, nadam, radam, rprop, asgd, every flag", KernelSetTests.haswellOnly)
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

    @Test("the Haswell copy's division by a step constant has the bits of a / divisor", KernelSetTests.haswellOnly)
    func constantDivisorIsExact() {
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

    @Test("nadam: the denominator sqrt(v / (1 - beta2^t)) + eps has the same bits for v across every range, any eps",
          KernelSetTests.haswellOnly)
    func nadamSecondMomentQuotient() {
        var generator = SplitMix(seed: 99)
        // v near 2^-600 and 2^900 (where a division by a constant through a reciprocal fails), tiny,
        // subnormal, huge, overflowing, negative, zero of both signs, infinite and NaN.
        var seconds: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-600, 0x1p-600.nextDown,
                                 0x1p-600.nextUp, 0x1p900, 0x1p900.nextUp, 0x1p900.nextDown, .greatestFiniteMagnitude,
                                 0x1p1023, 1e-300, 1e300, -1e-300, -1, -.leastNonzeroMagnitude, .infinity, .nan, 1, 0.25]
        for _ in 0..<2_000 {
            seconds.append(Double(sign: .plus, exponent: Int(generator.next() % 2047) - 1074,
                                  significand: 1 + generator.unit()))
        }
        let n = seconds.count
        for eps in [1e-8, 0x1p-200, 0x1p-200.nextDown, 1e-300, 0] {
            for biasCorrection2 in [0.001, 0.3, 1, 0x1p-30, 0x1p-31] {
                var results: [[Double]] = []
                for kernels: any UpdateKernels.Type in [BaselineKernels.self, HaswellKernels.self] {
                    // x starts at 0, so x ends as -0.002 m / denominator: every bit of the denominator shows.
                    var x = [Double](repeating: 0, count: n), m = [Double](repeating: 0.5, count: n)
                    var v = seconds
                    let g = [Double](repeating: 0, count: n)
                    x.withUnsafeMutableBufferPointer { x in
                        m.withUnsafeMutableBufferPointer { m in
                            v.withUnsafeMutableBufferPointer { v in
                                g.withUnsafeBufferPointer { g in
                                    kernels.nadam(NAdamStep(
                                        x: x.baseAddress!, gradient: g.baseAddress!, expAvg: m.baseAddress!,
                                        expAvgSq: v.baseAddress!, count: n, transform: .plain, weightDecay: 0,
                                        decayFactor: 1, firstMomentWeight: 0.1, beta2: 1, oneMinusBeta2: 0,
                                        biasCorrection2: biasCorrection2, eps: eps,
                                        gradientCoefficient: -0.001, momentCoefficient: -0.002))
                                }
                            }
                        }
                    }
                    results.append(x)
                }
                let differing = (0..<n).filter { results[0][$0].bitPattern != results[1][$0].bitPattern }
                #expect(differing.isEmpty,
                        "eps \(eps), bias correction \(biasCorrection2): v = \(differing.prefix(3).map { seconds[$0] })")
            }
        }
    }

    @Test("the least-squares pass: contiguous rows and batches, with and without a gradient, every row count mod 4",
          KernelSetTests.haswellOnly)
    func leastSquaresPass() {
        var generator = SplitMix(seed: 77)
        for (rows, columns) in [(37, 100), (64, 7), (13, 33), (9, 1), (40, 32)] {
            let buffers = Buffers(stateBuffers: 0, seed: generator.next())
            // Finite data (a non-finite entry makes every later sum NaN, hiding differences).
            let x = (0..<rows * columns).map { i in buffers.gradient[i % Buffers.count].isFinite ? buffers.gradient[i % Buffers.count] : 0.5 }
            let y = (0..<rows).map { i in buffers.x[i] }
            let theta = (0..<columns).map { _ in generator.unit() * 2 - 1 }
            let indices = (0..<rows).map { _ in Int(generator.next() % UInt64(rows)) }
            for batch in [false, true] {
                for withGradient in [false, true] {
                    var results: [(Double, [Double])] = []
                    for kernels: any UpdateKernels.Type in [BaselineKernels.self, HaswellKernels.self] {
                        var gradient = [Double](repeating: 0, count: columns)
                        let loss = x.withUnsafeBufferPointer { x in
                            y.withUnsafeBufferPointer { y in
                                theta.withUnsafeBufferPointer { theta in
                                    indices.withUnsafeBufferPointer { indices in
                                        gradient.withUnsafeMutableBufferPointer { g in
                                            kernels.leastSquares(LeastSquaresPass(
                                                x: x.baseAddress!, y: y.baseAddress!, columns: columns,
                                                start: batch ? 0 : 2, count: batch ? rows : rows - 2,
                                                indices: batch ? indices.baseAddress! : nil, theta: theta.baseAddress!,
                                                gradient: withGradient ? g.baseAddress! : nil))
                                        }
                                    }
                                }
                            }
                        }
                        results.append((loss, gradient))
                    }
                    #expect(results[0].0.bitPattern == results[1].0.bitPattern,
                            "\(rows)x\(columns) batch \(batch): loss \(results[0].0) vs \(results[1].0)")
                    #expect(results[0].1.map(\.bitPattern) == results[1].1.map(\.bitPattern),
                            "\(rows)x\(columns) batch \(batch): the gradients differ")
                }
            }
        }
    }

    @Test("the dispatcher runs the Haswell loops exactly where the CPU has x86-64-v3 and they were compiled for it")
    func dispatchFollowsTheCPU() {
        let forcedBaseline = getenv("GRADIENT_DESCENT_KERNELS").map { String(cString: $0) } == "baseline"
        let haswell = KernelSetTests.haswellRuns && HaswellKernels.isCompiledForHaswell && !forcedBaseline
        #expect(KernelDispatch.name == (haswell ? "haswell" : "baseline"))
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
