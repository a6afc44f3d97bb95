#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocation that reports failure instead of trapping.
///
/// Swift's own allocator stops the process when memory runs out; sizes here come from the
/// caller (dimensions, sample counts), and a trap would kill the host (a user's Python), so
/// buffers whose size a caller chooses are allocated through this and fail with
/// `.outOfMemory`. Memory is 64-byte aligned so vector loops start on a cache line.
package enum CheckedAllocation {
    package static let alignment = 64

    package static func allocate<T>(_ type: T.Type, count: Int, what: StaticString) throws(GradientDescentError)
        -> UnsafeMutableBufferPointer<T>
    {
        let (bytes, overflow) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        var raw: UnsafeMutableRawPointer? = nil
        if overflow || posix_memalign(&raw, alignment, bytes) != 0 || raw == nil {
            throw GradientDescentError(.outOfMemory, "cannot allocate \(what) of \(count) entries")
        }
        return UnsafeMutableBufferPointer(start: raw!.bindMemory(to: T.self, capacity: count), count: count)
    }

    package static func deallocate<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        free(buffer.baseAddress)
    }
}
