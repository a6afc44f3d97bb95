// swift-tools-version:6.1
import PackageDescription

// Hot loops need C's sqrt without errno so they vectorize (DESIGN.md); the bits are unchanged.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]

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
            swiftSettings: fastMath
        ),
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
            dependencies: ["GradientDescent", "GradientDescentPlugins", "CGradientDescent"],
            exclude: ["exports.map"],
            swiftSettings: [.enableExperimentalFeature("CImplementation")],
            linkerSettings: [.unsafeFlags([
                "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/GradientDescentCAPI/exports.map",
            ])]
        ),
        // Tests
        .testTarget(
            name: "GradientDescentTests",
            dependencies: ["GradientDescent", "CGradientDescent"]
        ),
    ]
)
