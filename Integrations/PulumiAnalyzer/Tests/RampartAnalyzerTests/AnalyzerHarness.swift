import AnalyzerDriver
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import PulumiRPC
import RampartInputs
import RampartModel
import SwiftProtobuf
import Testing

/// Plays the Pulumi engine: starts an analyzer executable as a child process (AnalyzerDriver's `AnalyzerProcess`)
/// and talks to it with the generated client.
struct AnalyzerHarness {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let samples = repository.appendingPathComponent("Tests/RampartInputsTests/Fixtures/samples/state/export")

    /// Where SwiftPM put the executables: next to the test binary (inside its bundle on macOS).
    static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent(name).path
    }

    /// Runs `body` against a fixture analyzer serving `packDirectory` (a folder under Fixtures/packs).
    static func withAnalyzer<R: Sendable>(
        _ packDirectory: String, arguments: [String] = [],
        _ body: (Pulumirpc_Analyzer.Client<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        try await withAnalyzer(executable: "rampart-analyzer-fixture",
                               directory: fixtures.appendingPathComponent("packs/\(packDirectory)").path,
                               arguments: arguments, body)
    }

    /// Runs `body` against `executable` (built by this package) serving `directory`.
    static func withAnalyzer<R: Sendable>(
        executable name: String, directory: String, arguments: [String] = [],
        _ body: (Pulumirpc_Analyzer.Client<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        let process = try AnalyzerProcess(executable: executable(name), directory: directory, arguments: arguments)
        defer { process.stop() }
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: process.port),
                                                       transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(Pulumirpc_Analyzer.Client(wrapping: client))
        }
    }

    // MARK: - Sample states as the engine sends them

    static func stack(_ sample: String) throws -> Stack {
        let reader = InputReader()
        let sources = try reader.discover(samples.appendingPathComponent(sample).path)
        return try reader.read(try #require(sources.first))
    }

    /// `Analyze`'s request for one resource: its inputs, parent and provider (with the provider's inputs).
    static func analyzeRequest(_ stack: Stack, _ index: Int) throws -> Pulumirpc_AnalyzeRequest {
        try EngineRequests.analyze(stack, index)
    }

    /// `AnalyzeStack`'s request: every resource with outputs, parent, dependencies and property dependencies.
    static func analyzeStackRequest(_ stack: Stack) throws -> Pulumirpc_AnalyzeStackRequest {
        try EngineRequests.analyzeStack(stack)
    }

    static func policyConfig(_ level: Pulumirpc_EnforcementLevel, _ properties: [String: Google_Protobuf_Value] = [:])
        -> Pulumirpc_PolicyConfig {
        EngineRequests.policyConfig(level, properties)
    }
}
