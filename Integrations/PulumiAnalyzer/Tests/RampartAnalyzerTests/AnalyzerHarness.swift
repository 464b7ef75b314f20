import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import PulumiRPC
import RampartInputs
import RampartJSON
import RampartModel
import SwiftProtobuf
import Testing

/// Plays the Pulumi engine: starts an analyzer executable as a child process, reads the port from its first line
/// of stdout and talks to it with the generated client.
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable(name))
        process.arguments = ["127.0.0.1:1", directory] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let port = try #require(Int(readLine(stdout.fileHandleForReading)), "the analyzer printed no port")
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port),
                                                       transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(Pulumirpc_Analyzer.Client(wrapping: client))
        }
    }

    /// The first line a process writes, without its newline.
    static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(contentsOf: chunk)
            if bytes.contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    // MARK: - Sample states as the engine sends them

    static func stack(_ sample: String) throws -> Stack {
        let reader = InputReader()
        let sources = try reader.discover(samples.appendingPathComponent(sample).path)
        return try reader.read(try #require(sources.first))
    }

    /// Properties in wire form: state JSON → Struct, with state secrets `{sig, plaintext: "<json>"}` turned into the
    /// engine's `{sig, value: <value>}` (written independently of the analyzer's own conversion).
    static func wire(_ value: PropertyValue?) throws -> Google_Protobuf_Struct {
        guard let value else { return Google_Protobuf_Struct() }
        var writer = JSONWriter()
        writer.node(value.node)
        return try wireSecrets(try Google_Protobuf_Struct(jsonString: writer.string))
    }

    private static func wireSecrets(_ s: Google_Protobuf_Struct) throws -> Google_Protobuf_Struct {
        if case .stringValue(PulumiSignature.secret)? = s.fields[PulumiSignature.key]?.kind,
           case .stringValue(let plaintext)? = s.fields["plaintext"]?.kind {
            var secret = Google_Protobuf_Struct()
            secret.fields[PulumiSignature.key] = Google_Protobuf_Value(stringValue: PulumiSignature.secret)
            secret.fields["value"] = try wireSecrets(try Google_Protobuf_Value(jsonString: plaintext))
            return secret
        }
        var copy = s
        for (key, value) in s.fields { copy.fields[key] = try wireSecrets(value) }
        return copy
    }

    private static func wireSecrets(_ v: Google_Protobuf_Value) throws -> Google_Protobuf_Value {
        switch v.kind {
        case .structValue(let s): return Google_Protobuf_Value(structValue: (try wireSecrets(s)))
        case .listValue(let l): return Google_Protobuf_Value(listValue: (Google_Protobuf_ListValue(values: try l.values.map(wireSecrets))))
        default: return v
        }
    }

    /// `Analyze`'s request for one resource: its inputs, parent and provider (with the provider's inputs).
    static func analyzeRequest(_ stack: Stack, _ index: Int) throws -> Pulumirpc_AnalyzeRequest {
        let resource = stack.graph.resources[index]
        var request = Pulumirpc_AnalyzeRequest()
        request.type = resource.type
        request.urn = resource.urn.rawValue
        request.name = resource.name
        request.properties = try wire(resource.inputs)
        if let parent = resource.parent { request.options.parent = parent }
        if let p = stack.graph.provider(of: index) {
            let provider = stack.graph.resources[p]
            request.provider.type = provider.type
            request.provider.urn = provider.urn.rawValue
            request.provider.name = provider.name
            request.provider.properties = try wire(provider.inputs)
        }
        return request
    }

    /// `AnalyzeStack`'s request: every resource with outputs, parent, dependencies and property dependencies.
    static func analyzeStackRequest(_ stack: Stack) throws -> Pulumirpc_AnalyzeStackRequest {
        var request = Pulumirpc_AnalyzeStackRequest()
        for resource in stack.graph.resources {
            var wire = Pulumirpc_AnalyzerResource()
            wire.type = resource.type
            wire.urn = resource.urn.rawValue
            wire.name = resource.name
            wire.properties = try self.wire(resource.outputs)
            wire.parent = resource.parent ?? ""
            wire.dependencies = resource.dependencies
            for (property, urns) in resource.propertyDependencies {
                var deps = Pulumirpc_AnalyzerPropertyDependencies()
                deps.urns = urns
                wire.propertyDependencies[property] = deps
            }
            request.resources.append(wire)
        }
        return request
    }

    static func policyConfig(_ level: Pulumirpc_EnforcementLevel, _ properties: [String: Google_Protobuf_Value] = [:])
        -> Pulumirpc_PolicyConfig {
        var config = Pulumirpc_PolicyConfig()
        config.enforcementLevel = level
        if !properties.isEmpty { config.properties = Google_Protobuf_Struct(fields: properties) }
        return config
    }
}
