/// Splits each epoch over `sampleCount` samples into batches of `batchSize` indices.
///
/// Every epoch starts from the identity order and, when shuffling, applies a Fisher-Yates
/// shuffle driven by the run's own generator, so the order of an epoch depends only on the
/// generator's state at its start. When `batchSize` does not divide `sampleCount` the last
/// batch of an epoch is short: it is used, not dropped, so each sample counts once per epoch.
package struct BatchSampler {
    package let sampleCount: Int
    package let batchSize: Int
    package let shuffle: Bool
    package private(set) var generator: Xoshiro256StarStar
    /// The generator as it was when the current epoch's order was drawn: replaying the
    /// shuffle from it rebuilds the order, so a checkpoint need not store m indices.
    package private(set) var epochStartGenerator: Xoshiro256StarStar
    /// Position of the next batch inside the current epoch's order.
    package private(set) var position: Int
    private let order: UnsafeMutableBufferPointer<Int>

    /// The caller owns `order` (sampleCount entries) for as long as the sampler is used.
    package init(sampleCount: Int, batchSize: Int, shuffle: Bool, seed: UInt64,
                order: UnsafeMutableBufferPointer<Int>) {
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.generator = Xoshiro256StarStar(seed: seed)
        self.epochStartGenerator = generator
        self.order = order
        self.position = sampleCount // forces a new epoch order on the first batch
    }

    /// Resumes a sampler saved as (generator, epochStartGenerator, position): inside an epoch
    /// the epoch's order is replayed from `epochStartGenerator`, and the generator this gives
    /// must equal `generator`, else the saved state is inconsistent (`.badState`).
    package init(sampleCount: Int, batchSize: Int, shuffle: Bool, generator: Xoshiro256StarStar,
                epochStartGenerator: Xoshiro256StarStar, position: Int,
                order: UnsafeMutableBufferPointer<Int>) throws(GradientDescentError) {
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.order = order
        self.generator = generator
        self.epochStartGenerator = epochStartGenerator
        self.position = sampleCount
        if position < 0 || position > sampleCount {
            throw GradientDescentError(.badState, "the sampler position \(position) is outside 0...\(sampleCount)")
        }
        if position < sampleCount {
            self.generator = epochStartGenerator
            startEpoch()
            if self.generator != generator {
                throw GradientDescentError(.badState,
                    "the sampler's generator does not follow from its epoch start; the state is inconsistent")
            }
            self.position = position
        }
    }

    /// True when the next batch starts a new epoch.
    package var atEpochStart: Bool { position >= sampleCount }

    /// Copies the next batch into `batch` and returns its length.
    package mutating func nextBatch(into batch: UnsafeMutablePointer<Int>) -> Int {
        if position >= sampleCount { startEpoch() }
        let count = min(batchSize, sampleCount - position)
        batch.update(from: order.baseAddress! + position, count: count)
        position += count
        return count
    }

    /// True when the batch just taken was the last of its epoch.
    package var epochFinished: Bool { position >= sampleCount }

    private mutating func startEpoch() {
        epochStartGenerator = generator
        for i in 0..<sampleCount { order[i] = i }
        if shuffle && sampleCount > 1 {
            var i = sampleCount - 1
            while i > 0 {
                let j = Int(generator.nextIndex(below: UInt64(i + 1)))
                order.swapAt(i, j)
                i -= 1
            }
        }
        position = 0
    }
}
