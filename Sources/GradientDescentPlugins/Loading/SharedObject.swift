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
    /// A path with a '/' names a file; a bare name ("librosen.so") is searched for as dlopen
    /// searches (the RPATH/RUNPATH entries, LD_LIBRARY_PATH, the ld.so cache, /lib and
    /// /usr/lib), and a failure says where it looked. Failures carry `status` and dlerror's text.
    init(path: String?, status: Status) throws(GradientDescentError) {
        if path?.isEmpty == true {
            // dlopen("") would hand back the program itself.
            throw GradientDescentError(status, "the library name is empty")
        }
        let isBareName = path.map { !$0.contains("/") } ?? false
        if let path, !isBareName {
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
            let reason = SharedObject.lastError()
            if let path, isBareName {
                throw GradientDescentError(status, SharedObject.searchFailure(name: path, reason: reason))
            }
            throw GradientDescentError(status, "'\(path ?? "the process")' is not a loadable shared object: \(reason)")
        }
        self.handle = handle
        self.path = path
    }

    /// The message for a bare name dlopen could not open: where the dynamic loader looked,
    /// in its order, with this process's LD_LIBRARY_PATH.
    private static func searchFailure(name: String, reason: String) -> String {
        let libraryPath = getenv("LD_LIBRARY_PATH").map { String(cString: $0) } ?? ""
        let environment = libraryPath.isEmpty ? "LD_LIBRARY_PATH (unset)" : "LD_LIBRARY_PATH (\(libraryPath))"
        return "'\(name)' was not found by dlopen's search for a bare name: the RPATH/RUNPATH of the program "
            + "and of libgradient_descent, \(environment), the ld.so cache (/etc/ld.so.cache, see ldconfig), "
            + "then /lib and /usr/lib; give a path containing '/' to open a file directly (\(reason))"
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
