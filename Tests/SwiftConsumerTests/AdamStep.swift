// The consumer package's second program: one Adam step per element, timed for this build of
// GradientDescent (a SwiftPM dependency: no unsafe flags, so the portable loops) and, in the
// same process, for the shipped libgradient_descent.so through its C ABI (dlopen).
//   adam-step LIBRARY|- N REPEATS [LABEL]      (LABEL names this build in the output)
// It also loads a plugin by a bare name that does not exist, to show GradientDescentPlugins
// (libffi, dlopen) linked into a dependent package and its error naming where it looked.
#if canImport(Glibc)
import Glibc
#endif
import GradientDescent
import GradientDescentPlugins

let arguments = CommandLine.arguments
guard arguments.count == 4 || arguments.count == 5, let n = Int(arguments[2]), let repeats = Int(arguments[3]),
      n > 0, repeats > 0 else {
    print("usage: adam-step LIBRARY|- N REPEATS [LABEL]")
    exit(2)
}
let label = arguments.count == 5 ? arguments[4] : "SwiftPM dependency build"

do {
    _ = try PluginLoader.load(path: "libgd_consumer_no_such_plugin.so")
    print("plugins: a missing plugin loaded")
    exit(1)
} catch {
    guard error.message.contains("LD_LIBRARY_PATH") else {
        print("plugins: unexpected error: \(error)")
        exit(1)
    }
    print("plugins: a missing bare-named plugin is reported with the search path")
}

/// This thread's CPU time: steadier than the wall clock on a machine shared with other work.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// The median over 7 rounds of nanoseconds (of CPU time) per element of `step`.
func nanosecondsPerElement(_ step: () -> Void) -> Double {
    for _ in 0..<max(repeats / 10, 2) { step() }
    let perRound = max(repeats / 7, 1)
    var rounds: [Double] = []
    for _ in 0..<7 {
        let start = now()
        for _ in 0..<perRound { step() }
        rounds.append((now() - start) / Double(perRound * n) * 1e9)
    }
    return rounds.sorted()[3]
}

let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
let gradient = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
for i in 0..<n {
    x[i] = Double(i % 13) * 0.1 - 0.6
    gradient[i] = Double(i % 7) * 1e-3 - 3e-3
}

let optimizer = try Optimizer(Adam(), dimension: n)
let swiftPM = nanosecondsPerElement { optimizer.step(x, gradient: UnsafeBufferPointer(gradient)) }
print("adam n=\(n): \(label) \(String(format: swiftPM)) ns/element")

if arguments[1] != "-" {
    typealias New = @convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias Step = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Double>?, UnsafePointer<Double>?, Int) -> Int32
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    guard let library = dlopen(arguments[1], RTLD_NOW | RTLD_LOCAL),
          let newSymbol = dlsym(library, "gd_optimizer_new"), let stepSymbol = dlsym(library, "gd_optimizer_step"),
          let freeSymbol = dlsym(library, "gd_optimizer_free")
    else {
        print("cannot load \(arguments[1])")
        exit(1)
    }
    let new = unsafeBitCast(newSymbol, to: New.self)
    let step = unsafeBitCast(stepSymbol, to: Step.self)
    let free = unsafeBitCast(freeSymbol, to: Free.self)
    var handle: OpaquePointer?
    guard new("adam", n, &handle) == 0 else {
        print("gd_optimizer_new failed")
        exit(1)
    }
    let shipped = nanosecondsPerElement { _ = step(handle, x.baseAddress, gradient.baseAddress, n) }
    free(handle)
    print("adam n=\(n): shipped libgradient_descent.so \(String(format: shipped)) ns/element "
          + "(the \(label) takes \(String(format: swiftPM / shipped))x as long)")
}

/// Two decimals, without Foundation.
func String(format value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
