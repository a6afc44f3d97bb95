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
        .target(
            name: "GradientDescentPlugins",
            dependencies: ["GradientDescent"]
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
