// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Rampart",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rampart", targets: ["rampart"]),
        .library(name: "Rampart", targets: ["Rampart"]),
        .library(name: "RampartPolicy", targets: ["RampartPolicy"]),
        // The vocabulary a host embedding the pipeline (the Pulumi analyzer) needs besides the facade.
        .library(name: "RampartModel", targets: ["RampartModel"]),
        .library(name: "RampartEngine", targets: ["RampartEngine"]),
        .library(name: "RampartJSON", targets: ["RampartJSON"]),
        // The synthetic estate and generated YAML packs, for the analyzer's load client (Integrations/PulumiAnalyzer).
        .library(name: "RampartBenchKit", targets: ["RampartBenchKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Remote inputs only (RampartRemote): HTTP with TLS built in, and SHA-256/HMAC/RSA for request signing.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Used by the tests only, to validate JUnit reports against the Ant XSD in-process.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // The C library's allocator settings (header only: `mallopt` is in the C library itself).
        .systemLibrary(name: "CMalloc"),
        // Cache hints (header only: a prefetch the compiler emits inline).
        .systemLibrary(name: "CCacheHints"),
        // Reads of a mapped input file that another process truncates meanwhile (a SIGBUS handler; Linux only).
        .target(name: "CMappedFileGuard"),
        .target(name: "RampartJSON", dependencies: ["CMalloc"]),
        .target(name: "RampartModel", dependencies: ["RampartJSON"]),
        .target(name: "RampartYAML", dependencies: ["RampartModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "RampartInputs", dependencies: ["RampartModel", "RampartJSON", "RampartYAML", "CZlib", "CMappedFileGuard", .product(name: "Yams", package: "Yams")]),
        .target(name: "RampartPolicy", dependencies: ["RampartModel", "RampartJSON", "CCacheHints"]),
        .target(name: "RampartRules", dependencies: ["RampartJSON", "RampartModel", "RampartPolicy", "RampartYAML", .product(name: "Yams", package: "Yams")]),
        .target(name: "RampartBuiltins", dependencies: ["RampartPolicy"]),
        .target(name: "RampartEngine", dependencies: ["RampartPolicy", "RampartModel", "RampartJSON"]),
        .target(name: "RampartReports", dependencies: ["RampartModel", "RampartPolicy", "RampartJSON"]),
        .target(name: "Rampart", dependencies: [
            "RampartJSON", "RampartModel", "RampartYAML", "RampartInputs", "RampartPolicy", "RampartRules",
            "RampartBuiltins", "RampartEngine", "RampartReports", .product(name: "Yams", package: "Yams"),
        ]),
        // Pulumi Cloud, S3 and GCS inputs. Only the command line links it, so the core stays free of networking.
        .target(name: "RampartRemote", dependencies: [
            "RampartInputs", "RampartModel", "RampartJSON", "RampartEngine",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .executableTarget(name: "rampart", dependencies: [
            "Rampart", "RampartInputs", "RampartJSON", "RampartModel", "RampartPolicy", "RampartReports", "RampartRemote",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "RampartBenchKit", dependencies: ["RampartJSON", "RampartPolicy"]),
        .executableTarget(name: "rampart-bench", dependencies: [
            "Rampart", "RampartBenchKit", "RampartBuiltins", "RampartEngine", "RampartInputs", "RampartJSON", "RampartModel",
            "RampartPolicy", "RampartReports",
        ]),
        .testTarget(name: "RampartJSONTests", dependencies: ["RampartJSON"]),
        .testTarget(name: "RampartRemoteTests", dependencies: [
            "Rampart", "RampartRemote", "RampartInputs", "RampartModel", "RampartJSON", "RampartPolicy", "RampartReports",
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RampartModelTests", dependencies: ["RampartJSON", "RampartModel"]),
        .testTarget(name: "RampartInputsTests", dependencies: ["RampartInputs", "RampartModel", "RampartYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "RampartEngineTests", dependencies: [
            "Rampart", "RampartBuiltins", "RampartEngine", "RampartInputs", "RampartJSON", "RampartModel", "RampartPolicy",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RampartRulesTests", dependencies: ["Rampart", "RampartModel", "RampartPolicy", "RampartRules"], exclude: ["Fixtures"]),
        .testTarget(name: "RampartReportsTests", dependencies: [
            "Rampart", "RampartEngine", "RampartInputs", "RampartJSON", "RampartModel", "RampartPolicy", "RampartReports", "CLibXML2",
        ], exclude: ["Fixtures", "Snapshots"],
        // libxml2-dev only suggests pkg-config; without it CLibXML2's header path comes from here.
        swiftSettings: [.unsafeFlags(["-Xcc", "-I/usr/include/libxml2"], .when(platforms: [.linux]))]),
        .testTarget(name: "RampartBuiltinsTests", dependencies: [
            "Rampart", "RampartBuiltins", "RampartEngine", "RampartInputs", "RampartModel", "RampartPolicy",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RampartTests", dependencies: [
            "Rampart", "RampartBenchKit", "RampartBuiltins", "RampartEngine", "RampartInputs", "RampartJSON", "RampartModel",
            "RampartPolicy", "RampartReports", "RampartRules", "RampartYAML",
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
