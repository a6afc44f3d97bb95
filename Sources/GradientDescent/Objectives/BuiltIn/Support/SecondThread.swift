#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `background` on a new thread while `foreground` runs on this one, and returns after
/// both finished. When no thread can be created, runs `background` here: same result.
func withSecondThread<T>(_ background: () -> Void, whileRunning foreground: () -> T) -> T {
    withoutActuallyEscaping(background) { background in
        let box = ThreadBody(background)
        let context = Unmanaged.passRetained(box).toOpaque()
#if canImport(Darwin)
        var thread: pthread_t? = nil
#else
        var thread = pthread_t()
#endif
        let started = pthread_create(&thread, nil, { context in
            let box = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
            box.body()
            return nil
        }, context) == 0
        if !started {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
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

private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
