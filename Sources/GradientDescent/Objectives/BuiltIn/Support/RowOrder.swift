/// Which rows of the data a pass visits: a contiguous range (the fast full pass) or a batch
/// of sample indices. Kernels are generic over it, so both paths are specialized code.
protocol RowOrder {
    var count: Int { get }
    func row(_ k: Int) -> Int
}

struct ContiguousRows: RowOrder {
    let start: Int
    let count: Int

    @inline(__always)
    func row(_ k: Int) -> Int { start &+ k }
}

struct IndexedRows: RowOrder {
    let indices: UnsafePointer<Int>
    let count: Int

    @inline(__always)
    func row(_ k: Int) -> Int { indices[k] }
}
