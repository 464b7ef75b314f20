// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
let rootPackage = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

// Rampart as a Pulumi policy-pack analyzer. A separate package so the root package (and its `swift build`/`swift test`)
// stays free of gRPC, NIO and protobuf.
let package = Package(
    name: "RampartPulumiAnalyzer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rampart-analyzer", targets: ["rampart-analyzer"]),
        .library(name: "RampartAnalyzer", targets: ["RampartAnalyzer"]),
        .executable(name: "analyzer-load", targets: ["analyzer-load"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // Already in the graph through grpc-swift-nio-transport; the analyzer's server decodes request headers with its
        // HPACK, and the transport tests' raw client speaks HTTP/2 with it.
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Generated once from Proto/ by Scripts/regenerate.sh; committed so a build needs no protoc.
        .target(name: "PulumiRPC", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "RampartAnalyzer", dependencies: [
            "PulumiRPC",
            .product(name: "Rampart", package: rootPackage),
            .product(name: "RampartPolicy", package: rootPackage),
            .product(name: "RampartModel", package: rootPackage),
            .product(name: "RampartEngine", package: rootPackage),
            .product(name: "RampartJSON", package: rootPackage),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "rampart-analyzer", dependencies: ["RampartAnalyzer"]),
        // Plays the Pulumi engine against an analyzer process: the test harness and the load client share it.
        .target(name: "AnalyzerDriver", dependencies: [
            "PulumiRPC",
            .product(name: "Rampart", package: rootPackage),
            .product(name: "RampartModel", package: rootPackage),
            .product(name: "RampartJSON", package: rootPackage),
            .product(name: "RampartBenchKit", package: rootPackage),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // The engine's call sequence and concurrent Analyze streams against rampart-analyzer, with its CPU and memory.
        .executableTarget(name: "analyzer-load", dependencies: ["AnalyzerDriver", "RampartAnalyzer"]),
        // The analyzer with a test-only Swift pack compiled in, started by the tests like Pulumi starts a plugin.
        .executableTarget(name: "rampart-analyzer-fixture", dependencies: ["RampartAnalyzer"],
                          path: "Tests/AnalyzerFixtureServer"),
        .testTarget(name: "RampartAnalyzerTests", dependencies: [
            "RampartAnalyzer", "AnalyzerDriver", "PulumiRPC", "rampart-analyzer", "rampart-analyzer-fixture",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            // The transport tests speak raw HTTP/2 to the analyzer.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
