#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CGradientDescent
import GradientDescent
import _ProgressFormat

/// A ready-made progress callback for C programs (the header's "Progress printer" section): lines
/// of text on a file descriptor, formatted into a buffer allocated once, written with write(2).
final class ProgressPrinter {
    static let lineCapacity = 256

    let fd: Int32
    let every: UInt64
    let total: UInt64
    private let line: UnsafeMutablePointer<CChar>
    private var start = 0.0

    init(fd: Int32, every: UInt64, total: UInt64) {
        self.fd = fd
        self.total = total
        // 0: about twenty lines for a known total, else one per thousand iterations.
        self.every = every > 0 ? every : total > 0 ? max(1, total / 20) : 1000
        line = .allocate(capacity: ProgressPrinter.lineCapacity)
    }

    deinit { line.deallocate() }

    func print(_ info: gd_progress_info) {
        if info.iteration <= 1 { start = ProgressPrinter.now() }
        guard info.iteration == 1 || info.iteration % every == 0 || info.iteration == total else { return }
        let length = gradient_descent_format_progress(
            line, ProgressPrinter.lineCapacity, info.iteration, total, info.epoch, info.loss,
            info.gradient_norm, info.lr, ProgressPrinter.now() - start)
        ProgressPrinter.withoutBrokenPipeSignal {
            var offset = 0
            while offset < length {
                let written = write(fd, line + offset, length - offset)
                if written <= 0 { return }  // a failed write is ignored: progress never stops a run
                offset += written
            }
        }
    }

    /// Runs `body` with SIGPIPE blocked on this thread, so a write to a pipe or socket whose
    /// reader has gone fails with EPIPE instead of killing the process. A SIGPIPE the writes
    /// raised is taken off the pending set before the mask is restored; one that was pending
    /// already (raised by the program) is left for the program.
    private static func withoutBrokenPipeSignal(_ body: () -> Void) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        var pending = sigset_t()
        sigpending(&pending)
        let pendingBefore = sigismember(&pending, SIGPIPE) == 1
        body()
        if !pendingBefore {
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &noWait)
            }
        }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + 1e-9 * Double(time.tv_nsec)
    }
}

@c @implementation
public func gd_progress_printer_new(_ fd: Int32, _ every: UInt64, _ total: UInt64,
                                    _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_progress_printer_new") { () throws(GradientDescentError) in
        let out = try required(out, "out")
        if fd < 0 {
            throw GradientDescentError(.invalidArgument, "fd must be an open file descriptor (>= 0), got \(fd)")
        }
        out.pointee = retainedHandle(ProgressPrinter(fd: fd, every: every, total: total))
    }
}

@c @implementation
public func gd_progress_print(_ user: UnsafeMutableRawPointer?, _ info: UnsafePointer<gd_progress_info>?) -> Int32 {
    guard let user, let info else { return 0 }
    Unmanaged<ProgressPrinter>.fromOpaque(user).takeUnretainedValue().print(info.pointee)
    return 0
}

@c @implementation
public func gd_progress_printer_free(_ printer: OpaquePointer?) {
    release(printer, as: ProgressPrinter.self)
}
