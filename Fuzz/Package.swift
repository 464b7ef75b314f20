// swift-tools-version: 6.1
// libFuzzer targets for Rampart's readers (docs/robustness.md). Built by Fuzz/run.sh with
// `-sanitize=fuzzer,address`; each main.swift hands control to libFuzzer's driver; not part of the root package so `swift build`/`swift test` never see them.
import PackageDescription

let package = Package(
    name: "RampartFuzz",
    dependencies: [.package(name: "Rampart", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "FuzzJSON", dependencies: ["CFuzzDriver", .product(name: "Rampart", package: "Rampart")]),
        .executableTarget(name: "FuzzInputs", dependencies: ["CFuzzDriver", .product(name: "Rampart", package: "Rampart")]),
        .executableTarget(name: "FuzzStackConfig", dependencies: ["CFuzzDriver", .product(name: "Rampart", package: "Rampart")]),
        .executableTarget(name: "FuzzSecrets", dependencies: ["CFuzzDriver", .product(name: "Rampart", package: "Rampart")]),
        .executableTarget(name: "FuzzRules", dependencies: ["CFuzzDriver", .product(name: "Rampart", package: "Rampart")]),
    ],
    swiftLanguageModes: [.v6]
)
