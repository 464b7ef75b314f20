// swift-tools-version: 6.1
// A team's own Rampart policy pack, written in Swift against the same DSL as the built-in packs, and a
// `acme-rampart` scanner that runs it beside Rampart's built-ins. Copy this directory into your own repository
// and point the dependency at Rampart's Git URL instead of the relative path.
import PackageDescription

let package = Package(
    name: "acme-policies",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named explicitly so the product references below do not depend on the checkout's directory name.
        .package(name: "Rampart", path: "../.."),
    ],
    targets: [
        .target(name: "AcmePolicies", dependencies: [.product(name: "RampartPolicy", package: "Rampart")]),
        .executableTarget(name: "acme-rampart", dependencies: [
            "AcmePolicies", .product(name: "Rampart", package: "Rampart"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
