#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A thread kept for the life of one objective, which runs the second half of its large full
/// passes. Starting a thread per pass cost 22 to 45 µs and one heap allocation; here the thread
/// is started on the first pass that needs it, each pass hands it the work through one atomic
/// (with a mutex and a condition variable only when a side has gone to sleep), and `deinit`
/// stops and joins it. After that start a pass allocates nothing: the second half is a closure
/// made once, and a pass's arguments and result go through a buffer allocated with the thread.
///
/// Measured on the 2-core VM, halves of fixed length: passes back to back (the thread
/// spinning) cost 0.2 to 0.5 µs more than one half; a thread asleep claims the half 10 to 30 µs
/// after the post and, being woken onto its waker's CPU, often shares it for a while.
///
/// - The caller takes the half back and runs it itself when the thread has not claimed it by
///   the time the caller's own half is done (the thread asleep, or not scheduled on a busy
///   machine): a pass never waits for a thread to wake. Each half writes its own buffers, so
///   the result has the same bits whichever thread ran it.
/// - A handle is used by one thread at a time, so at most one pass is in flight; the handle
///   may move between threads between passes (the caller's side holds no thread identity).
/// - When no thread can be started, both halves run on the calling thread from then on.
/// - fork() is out of scope beyond this: a child has no copy of the thread. A pthread fork
///   handler counts forks, so in a child passes run both halves on the calling thread, and
///   freeing the objective neither joins nor touches the copied mutex and condition variables.
///   A fork taken while another thread is inside a pass on this objective, or by a call that
///   skips fork handlers (a raw clone), is undefined.
/// - The thread blocks every signal, so signals meant for the process reach the caller's
///   threads (Python's handlers, for one), never this one.
final class SecondThread {
    private let handoff: Handoff
    private var status = Status.notStarted
#if canImport(Darwin)
    private var thread: pthread_t? = nil
#else
    private var thread = pthread_t()
#endif

    private enum Status {
        case notStarted
        /// Running in the process of that fork generation (`Forks.generation`).
        case started(generation: Int)
        case unavailable
    }

    /// `secondHalf(theta, gradient)` returns the second half's loss sum and adds its gradient
    /// sum into `gradient` when non-nil.
    init(secondHalf: @escaping SecondHalf) {
        handoff = Handoff(secondHalf: secondHalf)
    }

    deinit {
        guard case .started(let generation) = status else { return }
        guard generation == Forks.current else {
            // A fork's child: the thread exists only in the parent. Drop the reference it held,
            // and leave the copied mutex and condition variables alone (destroying a copy of a
            // condition variable the parent's thread waits on would wait for that waiter).
            handoff.inherited = true
            Unmanaged.passUnretained(handoff).release()
            return
        }
        // The owner of the objective releases it between passes: the thread is waiting for
        // work (spinning or asleep) and leaves its loop on `.stopping`.
        handoff.post(Handoff.stopping)
#if canImport(Darwin)
        pthread_join(thread!, nil)
#else
        pthread_join(thread, nil)
#endif
    }

    /// Runs the second half on the kept thread while `firstHalf` runs on this one; returns both
    /// loss sums after both finished.
    func run(theta: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?,
             whileRunning firstHalf: () -> Double) -> (first: Double, second: Double) {
        guard startedHere() else {
            let second = handoff.secondHalf(theta, gradient)
            return (firstHalf(), second)
        }
        handoff.pass.pointee = Pass(theta: theta, gradient: gradient, sum: 0)
        let posted = Handoff.now()
        handoff.post(Handoff.posted)
        let first = firstHalf()
        if handoff.takeBack() {
            handoff.runPass()
        } else {
            handoff.waitForDone(halfTook: Handoff.now() &- posted)
        }
        return (first, handoff.pass.pointee.sum)
    }

    /// Whether the thread is running in this process, starting it on first use.
    private func startedHere() -> Bool {
        switch status {
        case .started(let generation):
            return generation == Forks.current
        case .unavailable:
            return false
        case .notStarted:
            if Forks.watched && start() {
                status = .started(generation: Forks.current)
                return true
            }
            status = .unavailable
            return false
        }
    }

    private func start() -> Bool {
        // The new thread inherits this thread's signal mask: block everything around the
        // create, then restore the caller's mask.
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let context = Unmanaged.passRetained(handoff).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            // The thread holds its own reference to the handoff, released when it returns.
            let handoff = Unmanaged<Handoff>.fromOpaque(context!).takeRetainedValue()
            handoff.serve()
            return nil
        }, context) == 0
        if !created {
            Unmanaged<Handoff>.fromOpaque(context).release()
        }
        return created
    }
}

/// Counts, in each process, the forks it came from (0 in the original process), so that a
/// child never waits on or wakes a thread that exists only in its parent.
private enum Forks {
    static let generation = Atomic<Int>(0)
    /// The fork handler, registered once per process when the first thread starts; false when
    /// it could not be (then no thread is started).
    static let watched: Bool = pthread_atfork(nil, nil, {
        _ = Forks.generation.wrappingAdd(1, ordering: .relaxed)
    }) == 0

    static var current: Int { generation.load(ordering: .relaxed) }
}

typealias SecondHalf = (_ theta: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>?) -> Double

/// One pass's arguments and the second half's loss sum.
private struct Pass {
    var theta: UnsafePointer<Double>?
    var gradient: UnsafeMutablePointer<Double>?
    var sum: Double
}

/// What the caller and the thread share. `phase` carries the protocol:
///
///     idle --caller posts--> posted --thread claims--> running --thread finishes--> done
///       ^                       |                                                     |
///       +---- caller takes back +------------------ caller sees done -----------------+
///
/// Each side spins on `phase` for a short while before sleeping on its condition variable.
/// A side about to sleep sets its `asleep` flag and then reads `phase`; a side that changes
/// `phase` then reads the other's flag (all sequentially consistent), so at least one of the
/// two sees the other's write, and a waker that sees the flag signals under the mutex the
/// sleeper holds until it waits: no wake-up is lost.
private final class Handoff {
    static let idle = 0, posted = 1, running = 2, done = 3, stopping = 4

    let secondHalf: SecondHalf
    /// Written by the caller before it posts, read and completed by the side that claims the
    /// pass, read by the caller once the pass is back or done.
    let pass: UnsafeMutablePointer<Pass>
    let phase = Atomic<Int>(Handoff.idle)
    private let threadAsleep = Atomic<Bool>(false)
    private let callerAsleep = Atomic<Bool>(false)
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let workPosted: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>
    /// Set in a fork's child, where the synchronization objects are copies of the parent's.
    var inherited = false

    /// How long the thread spins for the next pass before it sleeps. In a full-batch run passes
    /// are back to back (an update of the parameters apart), so it claims the next one without
    /// a system call; a pass long enough to be split lasts 150 µs or more, so a spin that finds
    /// nothing wastes at most a third of one core for that long. A pass posted to a sleeping
    /// thread is often taken back by the caller (about the one-thread time).
    private static let threadSpinNanoseconds = 50_000
    /// The caller spins for as long as its own half took, at least this: the thread claimed
    /// the pass before the caller's half ended and its half is as long, so it should be done
    /// within that time unless it was descheduled. Sleeping sooner would add a wake-up, tens of
    /// µs on a virtual machine whose idle CPU the hypervisor has parked, to every late finish.
    private static let callerMinimumSpinNanoseconds = 50_000

    init(secondHalf: @escaping SecondHalf) {
        self.secondHalf = secondHalf
        pass = .allocate(capacity: 1)
        pass.initialize(to: Pass(theta: nil, gradient: nil, sum: 0))
        lock = .allocate(capacity: 1)
        workPosted = .allocate(capacity: 1)
        workDone = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(workPosted, nil)
        pthread_cond_init(workDone, nil)
    }

    deinit {
        if !inherited {
            pthread_cond_destroy(workDone)
            pthread_cond_destroy(workPosted)
            pthread_mutex_destroy(lock)
        }
        workDone.deallocate()
        workPosted.deallocate()
        lock.deallocate()
        pass.deallocate()
    }

    /// Caller: publish `.posted` (after writing `pass`) or `.stopping`, waking the thread if it
    /// sleeps.
    func post(_ value: Int) {
        phase.store(value, ordering: .sequentiallyConsistent)
        if threadAsleep.load(ordering: .sequentiallyConsistent) {
            wake(workPosted)
        }
    }

    /// Caller, after its own half: true when the thread had not claimed the pass, which is
    /// then the caller's to run (`runPass`).
    func takeBack() -> Bool {
        phase.compareExchange(expected: Handoff.posted, desired: Handoff.idle,
                              ordering: .sequentiallyConsistent).exchanged
    }

    /// Caller: the thread claimed the pass; returns when it has finished it (acquiring its
    /// writes).
    func waitForDone(halfTook nanoseconds: Int) {
        _ = wait(until: Handoff.done, or: Handoff.done, asleep: callerAsleep, on: workDone,
                 spinning: max(nanoseconds, Handoff.callerMinimumSpinNanoseconds))
        phase.store(Handoff.idle, ordering: .relaxed)
    }

    /// The thread's loop: claim each posted pass, run it, report it done; return on stopping.
    func serve() {
        while true {
            let seen = wait(until: Handoff.posted, or: Handoff.stopping, asleep: threadAsleep, on: workPosted,
                            spinning: Handoff.threadSpinNanoseconds)
            if seen == Handoff.stopping { return }
            // The caller may have taken the pass back since: then there is nothing to do.
            guard phase.compareExchange(expected: Handoff.posted, desired: Handoff.running,
                                        ordering: .acquiring).exchanged else { continue }
            runPass()
            phase.store(Handoff.done, ordering: .sequentiallyConsistent)
            if callerAsleep.load(ordering: .sequentiallyConsistent) {
                wake(workDone)
            }
        }
    }

    /// Runs the second half of the claimed pass.
    func runPass() {
        guard let theta = pass.pointee.theta else { return }
        pass.pointee.sum = secondHalf(theta, pass.pointee.gradient)
    }

    /// Wakes the side asleep on `condition`. Taking the mutex first waits until that side is
    /// inside pthread_cond_wait (it holds the mutex from setting its flag until then); the
    /// signal comes after the unlock, so the woken side does not block on the mutex again.
    private func wake(_ condition: UnsafeMutablePointer<pthread_cond_t>) {
        pthread_mutex_lock(lock)
        pthread_mutex_unlock(lock)
        pthread_cond_signal(condition)
    }

    /// Returns the phase once it is `first` or `second`: spins up to `nanoseconds`, then sleeps
    /// on `condition` with `asleep` set. The spin yields every few microseconds: when the two
    /// sides share a CPU (a woken thread is often placed on its waker's), spinning without
    /// yielding would keep the other side, the one being waited for, off that CPU.
    private func wait(until first: Int, or second: Int, asleep: borrowing Atomic<Bool>,
                      on condition: UnsafeMutablePointer<pthread_cond_t>, spinning nanoseconds: Int) -> Int {
        var seen = phase.load(ordering: .acquiring)
        if seen == first || seen == second { return seen }
        let deadline = Handoff.now() &+ nanoseconds
        var spins = 0
        while true {
            seen = phase.load(ordering: .acquiring)
            if seen == first || seen == second { return seen }
            spins &+= 1
            if spins & 63 == 0 {
                if Handoff.now() >= deadline { break }
                if spins & 1023 == 0 { sched_yield() }
            }
        }
        pthread_mutex_lock(lock)
        asleep.store(true, ordering: .sequentiallyConsistent)
        while true {
            seen = phase.load(ordering: .sequentiallyConsistent)
            if seen == first || seen == second { break }
            pthread_cond_wait(condition, lock)
        }
        asleep.store(false, ordering: .relaxed)
        pthread_mutex_unlock(lock)
        return seen
    }

    static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec &* 1_000_000_000 &+ time.tv_nsec
    }
}
