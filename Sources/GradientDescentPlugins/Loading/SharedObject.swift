#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GradientDescent

/// An open shared object (dlopen), closed when the last reference goes away. Every dlopen
/// of the project goes through here.
final class SharedObject: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// The path it was opened from; nil for the process's own symbols.
    let path: String?

    /// Opens `path` (nil: the program and the libraries already loaded) with every symbol
    /// bound now, so a missing dependency is reported here rather than at the first call.
    /// Failures carry `status` and dlerror's text.
    init(path: String?, status: Status) throws(GradientDescentError) {
        if let path {
            // Only a regular file: dlopen of a FIFO or a device blocks or reads without end.
            var info = stat()
            if stat(path, &info) != 0 {
                throw GradientDescentError(status, "no file at '\(path)'")
            }
            if info.st_mode & S_IFMT != S_IFREG {
                throw GradientDescentError(status, "'\(path)' is not a regular file (a directory, FIFO, device or socket)")
            }
        }
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw GradientDescentError(status, "'\(path ?? "the process")' is not a loadable shared object: \(SharedObject.lastError())")
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        dlclose(handle)
    }

    /// The address of a symbol, or nil when the object does not define it.
    func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        _ = dlerror()
        return dlsym(handle, name)
    }

    var displayName: String { path ?? "the process" }

    static func lastError() -> String {
        guard let message = dlerror() else { return "unknown dlopen error" }
        return String(cString: message)
    }
}
