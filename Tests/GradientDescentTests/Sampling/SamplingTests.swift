import Testing
@testable import GradientDescent

/// The generator and the sampler against an independent implementation of xoshiro256**
/// with SplitMix64 seeding and Lemire's bounded draw (computed in Python from the papers).
@Suite struct SamplingTests {
    @Test func xoshiroMatchesReferenceStream() {
        var zero = Xoshiro256StarStar(seed: 0)
        #expect(zero.next() == 0x99ec_5f36_cb75_f2b4)
        #expect(zero.next() == 0xbf6e_1f78_4956_452a)
        #expect(zero.next() == 0x1a5f_849d_4933_e6e0)
        var other = Xoshiro256StarStar(seed: 12345)
        #expect(other.next() == 0xbe6a_3637_4160_d49b)
        #expect(other.next() == 0x214a_aa06_37a6_88c6)
        #expect(other.next() == 0xf69d_16de_9954_d388)
    }

    @Test func epochOrdersMatchReferenceShuffle() {
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: 10)
        defer { order.deallocate() }
        var sampler = BatchSampler(sampleCount: 10, batchSize: 10, shuffle: true, seed: 7, order: order)
        var batch = [Int](repeating: -1, count: 10)
        var count = batch.withUnsafeMutableBufferPointer { sampler.nextBatch(into: $0.baseAddress!) }
        #expect(count == 10)
        #expect(batch == [1, 8, 3, 0, 4, 5, 9, 6, 2, 7])
        count = batch.withUnsafeMutableBufferPointer { sampler.nextBatch(into: $0.baseAddress!) }
        #expect(batch == [9, 3, 0, 8, 2, 7, 6, 5, 4, 1])
    }

    @Test func shortLastBatchIsUsedAndEverySampleCountsOncePerEpoch() {
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: 11)
        defer { order.deallocate() }
        var sampler = BatchSampler(sampleCount: 11, batchSize: 4, shuffle: true, seed: 3, order: order)
        var batch = [Int](repeating: -1, count: 4)
        for _ in 0..<5 {
            var seen: [Int] = []
            var sizes: [Int] = []
            repeat {
                let count = batch.withUnsafeMutableBufferPointer { sampler.nextBatch(into: $0.baseAddress!) }
                sizes.append(count)
                seen += batch[0..<count]
            } while !sampler.epochFinished
            #expect(sizes == [4, 4, 3])
            #expect(seen.sorted() == Array(0..<11))
        }
    }

    @Test func withoutShuffleTheOrderIsSequential() {
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: 5)
        defer { order.deallocate() }
        var sampler = BatchSampler(sampleCount: 5, batchSize: 2, shuffle: false, seed: 99, order: order)
        var batch = [0, 0]
        var seen: [Int] = []
        for _ in 0..<6 {
            let count = batch.withUnsafeMutableBufferPointer { sampler.nextBatch(into: $0.baseAddress!) }
            seen += batch[0..<count]
        }
        #expect(seen == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4])
    }

    @Test func boundedDrawsAreUniformEnough() {
        var generator = Xoshiro256StarStar(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[Int(generator.nextIndex(below: 7))] += 1 }
        // 10,000 expected per bucket; 5 standard deviations is about 460.
        for count in counts { #expect(abs(count - 10_000) < 460) }
    }
}
