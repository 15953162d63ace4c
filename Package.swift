// swift-tools-version:6.0
import PackageDescription

#if arch(x86_64)
    let avx2Settings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
    let avx2Settings: [SwiftSetting] = []
#endif

let package = Package(
    name: "lstmcast",
    products: [
        .executable(name: "lstmcastd", targets: ["lstmcastd"]),
        .executable(name: "lstmcast", targets: ["lstmcast"]),
        .library(name: "LSTMKit", targets: ["LSTMKit"]),
    ],
    targets: [
        // System libraries from Debian, found through pkg-config.
        .systemLibrary(
            name: "CZeroMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        // The gate activations, built twice from one file: for any CPU, and
        // with AVX2 for the CPUs that have it; LSTMKit picks one at run time.
        .target(name: "Activations"),
        .target(name: "ActivationsAVX2", swiftSettings: avx2Settings),
        .target(name: "LSTMKit", dependencies: ["CBLAS", "Activations", "ActivationsAVX2"]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "Configuration", dependencies: ["CYAML"]),
        .target(name: "Forecasting", dependencies: ["LSTMKit", "Configuration"]),

        .executableTarget(
            name: "lstmcastd", dependencies: ["Forecasting", "Configuration", "ZeroMQ", "LSTMKit"]),
        .executableTarget(
            name: "lstmcast", dependencies: ["Forecasting", "Configuration", "ZeroMQ", "LSTMKit"]),
        // Timing and memory figures for scripts/bench; not part of the product.
        .executableTarget(name: "lstmcast-bench", dependencies: ["LSTMKit", "ZeroMQ"]),

        .testTarget(name: "ActivationsTests", dependencies: ["Activations", "ActivationsAVX2", "LSTMKit"]),
        .testTarget(name: "LSTMKitTests", dependencies: ["LSTMKit"], exclude: ["Fixtures"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "LSTMKit", "Configuration"]),
        // Depending on the executables makes `swift test` build them, so the
        // end-to-end tests can start the real binaries.
        .testTarget(name: "EndToEndTests", dependencies: ["ZeroMQ", "LSTMKit", "Forecasting", "lstmcastd", "lstmcast"]),
    ],
    swiftLanguageModes: [.v5]
)
