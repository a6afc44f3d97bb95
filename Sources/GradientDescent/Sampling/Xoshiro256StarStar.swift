/// xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64.
///
/// Implemented here rather than taken from the standard library so that one seed gives the
/// same stream, hence bit-identical runs, on every machine and every Swift version.
package struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    package private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four words from SplitMix64, as the authors recommend, so that any seed
    /// (zero included) gives a well-mixed, non-zero state.
    package init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Restores a generator from a saved state (checkpoints).
    package init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    package mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-and-reject method,
    /// spelled out so the stream of draws is fixed by this file alone.
    package mutating func nextIndex(below bound: UInt64) -> UInt64 {
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    package static func == (a: Self, b: Self) -> Bool {
        a.state == b.state
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
