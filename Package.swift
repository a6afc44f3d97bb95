// swift-tools-version:6.1
import PackageDescription

// Hot loops need C's sqrt without errno so they vectorize (ARCHITECTURE.md, "Invariants");
// the bits are unchanged.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]

// The update rules' loops are compiled twice: for the x86-64 baseline and for Haswell (AVX2);
// KernelDispatch picks one per process from CPUID, so the .so runs on any x86-64 CPU.
#if arch(x86_64)
let haswell: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let haswell: [SwiftSetting] = []
#endif

let package = Package(
    name: "gradient_descent",
    products: [
        // Public API
        .library(name: "GradientDescent", targets: ["GradientDescent"]),
        .library(name: "gradient_descent", type: .dynamic, targets: ["GradientDescentCAPI"]),
    ],
    targets: [
        // Implementation
        .target(
            name: "GradientDescent",
            dependencies: ["_GradientDescentKernels", "_GradientDescentKernelsHaswell", "_CPUFeatures"],
            swiftSettings: fastMath
        ),
        .target(name: "_GradientDescentKernels", swiftSettings: fastMath),
        .target(
            name: "_GradientDescentKernelsHaswell",
            dependencies: ["_GradientDescentKernels"],
            swiftSettings: fastMath + haswell + [.define("GRADIENT_DESCENT_HASWELL_COPY")]
        ),
        // DWARF 4 like the Swift targets: valgrind 3.19 (the C tests) cannot read clang's DWARF 5.
        .target(name: "_CPUFeatures", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "_ProgressFormat", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // gd_status_string and gd_stop_reason_string: the header's X-macro tables expanded in C.
        .target(name: "_StatusText", cSettings: [.headerSearchPath("../../include"), .unsafeFlags(["-gdwarf-4"])]),
        .systemLibrary(name: "CGradientDescent", path: "include"),
        .systemLibrary(name: "CFFI", providers: [.apt(["libffi-dev"])]),
        .target(
            name: "GradientDescentPlugins",
            // CGradientDescent for the plugin descriptor types only (header, no code). libffi
            // is linked from its PIC archive so the .so gains no runtime dependency.
            dependencies: ["GradientDescent", "CGradientDescent", "CFFI"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libffi_pic.a"])]
        ),
        .target(
            name: "GradientDescentCAPI",
            dependencies: ["GradientDescent", "GradientDescentPlugins", "CGradientDescent", "_ProgressFormat",
                           "_StatusText"],
            exclude: ["exports.map"],
            swiftSettings: [.enableExperimentalFeature("CImplementation")],
            linkerSettings: [.unsafeFlags([
                "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/GradientDescentCAPI/exports.map",
            ])]
        ),
        // Tests
        .testTarget(
            name: "GradientDescentTests",
            dependencies: ["GradientDescent", "CGradientDescent",
                           "_GradientDescentKernels", "_GradientDescentKernelsHaswell", "_CPUFeatures"]
        ),
    ]
)
