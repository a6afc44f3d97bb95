/// The processes of a data-parallel run: how many there are, which one this is, and how to
/// add a buffer of doubles across them.
///
/// The core never talks to other processes itself: the caller's `sum` does (MPI in
/// libgradient_descent_mpi), so the core links no transport. Every process of a run calls
/// `sum` at the same points with buffers of the same length.
public struct Reducer {
    public let processCount: Int
    public let rank: Int
    private let sumAcrossProcesses: (UnsafeMutableBufferPointer<Double>) throws(GradientDescentError) -> Void

    /// `sum` replaces its buffer by the elementwise sum over all processes, the same bits on
    /// every process and in every run (a fixed order of additions), or throws.
    public init(processCount: Int, rank: Int,
                sum: @escaping (UnsafeMutableBufferPointer<Double>) throws(GradientDescentError) -> Void)
        throws(GradientDescentError) {
        if processCount < 1 {
            throw GradientDescentError(.invalidArgument, "reducer: process_count must be >= 1, got \(processCount)")
        }
        if rank < 0 || rank >= processCount {
            throw GradientDescentError(.invalidArgument,
                "reducer: rank must be in [0, process_count) = [0, \(processCount)), got \(rank)")
        }
        self.processCount = processCount
        self.rank = rank
        sumAcrossProcesses = sum
    }

    /// Sums `buffer` across the processes in place.
    @inline(__always)
    func sum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(GradientDescentError) {
        try sumAcrossProcesses(buffer)
    }
}
