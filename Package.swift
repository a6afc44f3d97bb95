// swift-tools-version:6.3
import PackageDescription

// Two builds from one manifest:
// - By default (a package depending on this one, plain `swift build`/`swift test`) no target
//   has unsafe flags: the products build wherever SwiftPM runs, against the system's libffi,
//   and never meet SwiftPM's refusal of a versioned dependency's unsafe flags (SwiftPM before
//   6.2, or a dependency whose manifest is below tools 6.2).
// - The shipped library (`make lib`) sets GRADIENT_DESCENT_TUNED_BUILD=1, which adds the
//   flags below; the loops then run at the speed the benchmarks report. A dependent package
//   may opt in the same way (`GRADIENT_DESCENT_TUNED_BUILD=1 swift build`): SwiftPM 6.2+
//   accepts the flags of a tools-6.2+ dependency. It then needs Debian's static libffi.
let tuned = Context.environment["GRADIENT_DESCENT_TUNED_BUILD"] == "1"

func whenTuned<Setting>(_ settings: [Setting]) -> [Setting] { tuned ? settings : [] }

// C's sqrt without errno, so that loops vectorize (ARCHITECTURE.md, "Invariants"); the bits are unchanged. The
// kernels' loops do not need it (their square root comes from _SquareRoot).
let fastMath: [SwiftSetting] = whenTuned([.unsafeFlags(["-Xcc", "-fno-math-errno"])])

// The update rules' loops are compiled twice: for the x86-64 baseline and for Haswell (AVX2);
// KernelDispatch picks one per process from CPUID, so the .so runs on any x86-64 CPU. Without
// the flag the second copy is baseline code too, and GRADIENT_DESCENT_HASWELL_TUNED (unset)
// tells KernelDispatch not to prefer it.
#if arch(x86_64)
let haswell: [SwiftSetting] = whenTuned([
    .unsafeFlags(["-target-cpu", "haswell"]), .define("GRADIENT_DESCENT_HASWELL_TUNED"),
])
#else
let haswell: [SwiftSetting] = []
#endif

// DWARF 4 like the Swift targets: valgrind 3.19 (the C tests) cannot read clang's DWARF 5.
let dwarf4: [CSetting] = whenTuned([.unsafeFlags(["-gdwarf-4"])])

// libffi: the shipped .so links Debian's position-independent archive so that it gains no
// runtime dependency; a dependent package links the system's libffi.
let libffi: [LinkerSetting] = tuned
    ? [.unsafeFlags(["-Xlinker", "-l:libffi_pic.a"])]
    : [.linkedLibrary("ffi")]

// The shipped .so exports only the gd_ symbols.
let exportMap: [LinkerSetting] = whenTuned([.unsafeFlags([
    "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/GradientDescentCAPI/exports.map",
])])

let package = Package(
    name: "gradient_descent",
    products: [
        // Public API
        .library(name: "GradientDescent", targets: ["GradientDescent"]),
        .library(name: "GradientDescentPlugins", targets: ["GradientDescentPlugins"]),
        .library(name: "gradient_descent", type: .dynamic, targets: ["GradientDescentCAPI"]),
    ],
    targets: [
        // Implementation
        .target(
            name: "GradientDescent",
            dependencies: ["_GradientDescentKernels", "_GradientDescentKernelsHaswell", "_CPUFeatures"],
            swiftSettings: fastMath
        ),
        .target(name: "_GradientDescentKernels", dependencies: ["_SquareRoot"], swiftSettings: fastMath),
        .target(
            name: "_GradientDescentKernelsHaswell",
            dependencies: ["_GradientDescentKernels", "_SquareRoot"],
            swiftSettings: fastMath + haswell + [.define("GRADIENT_DESCENT_HASWELL_COPY")]
        ),
        .target(name: "_CPUFeatures", cSettings: dwarf4),
        .target(name: "_ProgressFormat", cSettings: dwarf4),
        .systemLibrary(name: "_SquareRoot"),
        // gd_status_string and gd_stop_reason_string: the header's X-macro tables expanded in C.
        .target(name: "_StatusText", cSettings: [.headerSearchPath("../../include")] + dwarf4),
        .systemLibrary(name: "CGradientDescent", path: "include"),
        .systemLibrary(name: "CFFI", providers: [.apt(["libffi-dev"])]),
        .target(
            name: "GradientDescentPlugins",
            // CGradientDescent for the plugin descriptor types only (header, no code).
            dependencies: ["GradientDescent", "CGradientDescent", "CFFI"],
            linkerSettings: libffi
        ),
        .target(
            name: "GradientDescentCAPI",
            dependencies: ["GradientDescent", "GradientDescentPlugins", "CGradientDescent", "_ProgressFormat",
                           "_StatusText"],
            exclude: ["exports.map"],
            swiftSettings: [.enableExperimentalFeature("CImplementation")],
            linkerSettings: exportMap
        ),
        // Tests
        .testTarget(
            name: "GradientDescentTests",
            dependencies: ["GradientDescent", "CGradientDescent",
                           "_GradientDescentKernels", "_GradientDescentKernelsHaswell", "_CPUFeatures"]
        ),
    ]
)
