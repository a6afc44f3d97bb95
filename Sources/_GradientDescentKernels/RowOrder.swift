/// Which rows of the data a pass visits: a contiguous range (the fast full pass) or a batch
/// of sample indices. Kernels are generic over it, so both paths are specialized code.
package protocol RowOrder {
    var count: Int { get }
    func row(_ k: Int) -> Int
}

package struct ContiguousRows: RowOrder {
    package let start: Int
    package let count: Int

    @inlinable
    package init(start: Int, count: Int) {
        self.start = start
        self.count = count
    }

    @inlinable @inline(__always)
    package func row(_ k: Int) -> Int { start &+ k }
}

package struct IndexedRows: RowOrder {
    package let indices: UnsafePointer<Int>
    package let count: Int

    @inlinable
    package init(indices: UnsafePointer<Int>, count: Int) {
        self.indices = indices
        self.count = count
    }

    @inlinable @inline(__always)
    package func row(_ k: Int) -> Int { indices[k] }
}
