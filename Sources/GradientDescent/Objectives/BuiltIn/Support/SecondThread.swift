#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `background` on a new thread while `foreground` runs on this one, and returns after
/// both finished. When no thread can be created, runs `background` here: same result.
/// The closure is handed over on this stack (the thread is joined before the frame ends),
/// so nothing is allocated on the heap for it.
func withSecondThread<T>(_ background: () -> Void, whileRunning foreground: () -> T) -> T {
    withoutActuallyEscaping(background) { background in
        var body = ThreadBody(run: background)
        return withUnsafeMutablePointer(to: &body) { context in
#if canImport(Darwin)
            var thread: pthread_t? = nil
#else
            var thread = pthread_t()
#endif
            let started = pthread_create(&thread, nil, { context in
                context!.assumingMemoryBound(to: ThreadBody.self).pointee.run()
                return nil
            }, context) == 0
            if !started {
                background()
            }
            let result = foreground()
            if started {
#if canImport(Darwin)
                pthread_join(thread!, nil)
#else
                pthread_join(thread, nil)
#endif
            }
            return result
        }
    }
}

private struct ThreadBody {
    let run: () -> Void
}
