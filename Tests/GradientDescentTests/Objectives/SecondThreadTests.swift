import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import GradientDescent

/// The thread a large objective keeps for the second half of its full passes.
@Suite("The kept second thread of large full passes")
struct SecondThreadTests {
    // 30011 × 13 row-elements: above the two-thread threshold (2^18).
    let data = TestData(rows: 30_011, columns: 13, seed: 5)
    let theta = randomPoint(13, seed: 8, scale: 0.3)

    private func leastSquares() throws -> LeastSquares {
        try LeastSquares(features: UnsafeBufferPointer(data.features), rows: data.rows, columns: data.columns,
                         targets: UnsafeBufferPointer(data.targets), l2: 0.01)
    }

    @Test("passes spaced out across the thread's spin, so it sleeps between some, give the same bits")
    func spacedPasses() throws {
        let objective = try leastSquares()
        let first = try evaluate(objective, theta)
        var same = true
        for k in 0..<60 {
            usleep(UInt32(k % 4) * 40) // 0 to 120 µs apart: the thread spins 50 µs, then sleeps
            let again = try evaluate(objective, theta)
            same = same && again.loss == first.loss && again.gradient == first.gradient
        }
        #expect(same)
        let lossOnly = try theta.withUnsafeBufferPointer { x in try objective.evaluate(at: x, gradient: nil) }
        #expect(lossOnly == first.loss)
    }

    @Test("two objectives over the same rows, each with its own thread, used in turn give the same bits")
    func twoObjectives() throws {
        let a = try leastSquares(), b = try leastSquares()
        let reference = try evaluate(a, theta)
        var same = true
        for _ in 0..<20 {
            let fromA = try evaluate(a, theta), fromB = try evaluate(b, theta)
            same = same && fromA.loss == reference.loss && fromA.gradient == reference.gradient
                && fromB.loss == reference.loss && fromB.gradient == reference.gradient
        }
        #expect(same)
    }

    @Test("an objective used from a new thread for each pass gives the same bits")
    func movesBetweenThreads() throws {
        let objective = try leastSquares()
        let reference = try evaluate(objective, theta)
        for _ in 0..<8 {
            var result: (loss: Double, gradient: [Double])? = nil
            let theta = self.theta
            onNewThread { result = try? evaluate(objective, theta) }
            #expect(result?.loss == reference.loss && result?.gradient == reference.gradient)
        }
    }

#if os(Linux)
    @Test("freeing objectives between passes joins their threads")
    func freeingJoins() throws {
        let count = 24
        let before = threadCount()
        var objectives: [LeastSquares] = []
        for _ in 0..<count {
            let objective = try leastSquares()
            _ = try evaluate(objective, theta)
            objectives.append(objective)
        }
        let running = threadCount()
        objectives.removeAll()
        let after = threadCount()
        // Other suites run at the same time and start and end threads of their own: a margin.
        #expect(running - before >= count - 6)
        #expect(running - after >= count - 6)
    }

    /// Threads of this process, from /proc/self/task.
    private func threadCount() -> Int {
        guard let directory = opendir("/proc/self/task") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(2)) }
            if name[0] != UInt8(ascii: ".") { count += 1 }
        }
        return count
    }
#endif
}

/// Runs `body` on a new thread and returns when it has finished.
private func onNewThread(_ body: @escaping () -> Void) {
    final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
#if canImport(Darwin)
    var thread: pthread_t? = nil
    guard pthread_create(&thread, nil, { context in
        Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        return nil
    }, context) == 0, let thread else {
        Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        return
    }
#else
    var thread = pthread_t()
    guard pthread_create(&thread, nil, { context in
        Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }, context) == 0 else {
        Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        return
    }
#endif
    pthread_join(thread, nil)
}
