/// What an update rule remembers between steps: named per-parameter buffers (moments,
/// accumulators), named scalars (SGD's "momentum buffer started" flag, NAdam's momentum product) and the step count.
///
/// The layout is data, not code, so that state can be saved to a blob and loaded back, and so
/// that a rule defined outside the library (a callback) can declare its own buffers. Buffers
/// are allocated once, 64-byte aligned, when the optimizer is created; a step never allocates.
final class OptimizerState {
    /// The shape of a rule's state: buffer names and scalar names with their initial values.
    struct Layout: Sendable {
        var bufferNames: [String]
        var scalars: [(name: String, initialValue: Double)]
        /// Doubles per parameter in each buffer: 1 for the built-in rules; a custom rule's
        /// declared state size (its one buffer holds that many blocks of `dimension` doubles).
        var elementsPerParameter: Int

        init(buffers: [String], scalars: [(name: String, initialValue: Double)] = [],
             elementsPerParameter: Int = 1) {
            self.bufferNames = buffers
            self.scalars = scalars
            self.elementsPerParameter = elementsPerParameter
        }
    }

    let dimension: Int
    let layout: Layout
    /// Doubles in each buffer: dimension * layout.elementsPerParameter.
    let bufferLength: Int
    /// One pointer to `bufferLength` doubles per entry of `layout.bufferNames`, in that order.
    let buffers: [UnsafeMutablePointer<Double>]
    /// Values of `layout.scalars`, in that order; with parameter groups, one such run of
    /// values per group, group after group.
    var scalars: [Double]
    /// Where the group being updated starts: its first element in every buffer, and its first
    /// scalar. Zero outside a grouped update (and always for an optimizer without groups).
    var groupElementOffset = 0
    var groupScalarOffset = 0
    /// Updates applied since creation or the last reset; the t of the published formulas is
    /// this count during the step that makes it t.
    var stepCount: Int = 0

    /// Allocates every buffer through the checked allocator (sizes come from the caller:
    /// out of memory is an error, not a trap), all or nothing.
    init(dimension: Int, layout: Layout) throws(GradientDescentError) {
        let bufferLength = dimension * layout.elementsPerParameter
        self.dimension = dimension
        self.layout = layout
        self.bufferLength = bufferLength
        var buffers: [UnsafeMutablePointer<Double>] = []
        buffers.reserveCapacity(layout.bufferNames.count)
        for name in layout.bufferNames {
            do {
                let buffer = try CheckedAllocation.allocate(Double.self, count: bufferLength, what: "optimizer state")
                buffer.initialize(repeating: 0)
                buffers.append(buffer.baseAddress!)
            } catch {
                for taken in buffers {
                    CheckedAllocation.deallocate(UnsafeMutableBufferPointer(start: taken, count: bufferLength))
                }
                throw GradientDescentError(.outOfMemory,
                    "cannot allocate the optimizer's \(name) buffer of \(bufferLength) values")
            }
        }
        self.buffers = buffers
        self.scalars = layout.scalars.map(\.initialValue)
    }

    deinit {
        for buffer in buffers {
            CheckedAllocation.deallocate(UnsafeMutableBufferPointer(start: buffer, count: bufferLength))
        }
    }

    /// The buffer at `index` of `layout.bufferNames`.
    @inline(__always)
    subscript(buffer index: Int) -> UnsafeMutablePointer<Double> { buffers[index] + groupElementOffset }

    /// The scalar at `index` of `layout.scalars`, of the group being updated.
    @inline(__always)
    subscript(scalar index: Int) -> Double {
        get { scalars[groupScalarOffset + index] }
        set { scalars[groupScalarOffset + index] = newValue }
    }

    /// Every group's scalars at their initial values.
    func initialScalars(groups: Int) -> [Double] {
        Array([[Double]](repeating: layout.scalars.map(\.initialValue), count: groups).joined())
    }

    /// The buffer named `name`, for inspection and save/load; nil when the rule has none.
    func buffer(named name: String) -> UnsafeMutableBufferPointer<Double>? {
        guard let index = layout.bufferNames.firstIndex(of: name) else { return nil }
        return UnsafeMutableBufferPointer(start: buffers[index], count: bufferLength)
    }

    /// Back to the state of a fresh optimizer: buffers zero, scalars initial, no steps.
    func reset() {
        for buffer in buffers {
            buffer.update(repeating: 0, count: bufferLength)
        }
        scalars = initialScalars(groups: layout.scalars.isEmpty ? 1 : scalars.count / layout.scalars.count)
        stepCount = 0
    }
}
