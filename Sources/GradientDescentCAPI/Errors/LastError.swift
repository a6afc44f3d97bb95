#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The detail message of the last failure, one per thread (`gd_last_error`).
///
/// Kept as a malloc'd C string under a pthread key, so the pointer handed to C stays valid
/// until the next gd_ call on the same thread and is freed when the thread exits.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { message in
            free(message)
            LastError.holders.subtract(1, ordering: .relaxed)
        }
        return key
    }()

    /// How many threads hold a message. Every successful call clears its thread's message, so
    /// clear() looks at this first: while no thread holds one (the usual state) a success costs
    /// one load, not the key's lazy initialization and a thread-specific lookup. Relaxed order
    /// is enough: a thread that holds a message has counted itself, and it sees its own count.
    private static let holders = Atomic<Int>(0)

    static func set(_ message: String) {
        let old = pthread_getspecific(key)
        free(old)
        let copy = message.withCString { strdup($0) }
        pthread_setspecific(key, copy)
        if old == nil && copy != nil {
            holders.add(1, ordering: .relaxed)
        } else if old != nil && copy == nil {
            holders.subtract(1, ordering: .relaxed)
        }
    }

    @inline(__always)
    static func clear() {
        if holders.load(ordering: .relaxed) != 0 {
            clearHeld()
        }
    }

    private static func clearHeld() {
        if let old = pthread_getspecific(key) {
            free(old)
            pthread_setspecific(key, nil)
            holders.subtract(1, ordering: .relaxed)
        }
    }

    static var message: UnsafePointer<CChar> {
        if let current = pthread_getspecific(key) {
            return UnsafePointer(current.assumingMemoryBound(to: CChar.self))
        }
        return staticCString("")
    }
}

/// A pointer to the static storage of a string literal, as C expects for constant text.
func staticCString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
