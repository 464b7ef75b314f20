import GRPCCore
import PulumiRPC
import RampartModel
import SwiftProtobuf

/// One diagnostic as the engine would print it, comparable across runs.
public struct DiagnosticRecord: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var urn: String
    public var policy: String
    public var level: String
    public var message: String

    public init(_ diagnostic: Pulumirpc_AnalyzeDiagnostic) {
        urn = diagnostic.urn
        policy = diagnostic.policyName
        level = "\(diagnostic.enforcementLevel)"
        message = diagnostic.message
    }

    public static func < (a: Self, b: Self) -> Bool { (a.urn, a.policy, a.level, a.message) < (b.urn, b.policy, b.level, b.message) }
    public var description: String { "\(level) \(policy) \(urn): \(message)" }
}

/// The calls the Pulumi engine makes to a policy-pack analyzer, in its order: Handshake, ConfigureStack,
/// GetAnalyzerInfo, GetPluginInfo, Configure (every policy at the level the pack declares), then Remediate and Analyze
/// per resource, and AnalyzeStack once.
public struct EngineCalls<Transport: ClientTransport>: Sendable {
    public let analyzer: Pulumirpc_Analyzer.Client<Transport>
    public var organization = "acme"
    public var dryRun = true

    public init(_ analyzer: Pulumirpc_Analyzer.Client<Transport>) { self.analyzer = analyzer }

    /// The opening calls, up to `Configure`; returns the served pack's description.
    @discardableResult
    public func open(project: String, stack: String) async throws -> Pulumirpc_AnalyzerInfo {
        var handshake = Pulumirpc_AnalyzerHandshakeRequest()
        handshake.engineAddress = "127.0.0.1:1"
        _ = try await analyzer.handshake(handshake)
        var configureStack = Pulumirpc_AnalyzerStackConfigureRequest()
        configureStack.organization = organization
        configureStack.project = project
        configureStack.stack = stack
        configureStack.dryRun = dryRun
        _ = try await analyzer.configureStack(configureStack)
        let info = try await analyzer.getAnalyzerInfo(Google_Protobuf_Empty())
        _ = try await analyzer.getPluginInfo(Google_Protobuf_Empty())
        // The engine reconciles the pack's levels with --policy-pack-config and sends them all back.
        var configure = Pulumirpc_ConfigureAnalyzerRequest()
        for policy in info.policies { configure.policyConfig[policy.name] = EngineRequests.policyConfig(policy.enforcementLevel) }
        _ = try await analyzer.configure(configure)
        return info
    }

    /// What the per-resource calls returned.
    public struct ResourcePhase: Sendable {
        public var diagnostics: [DiagnosticRecord] = []
        public var remediations = 0
        public var notApplicable = 0
        public var calls = 0
    }

    /// Remediate then Analyze for each request, one resource after another.
    public func perResource(_ requests: [Pulumirpc_AnalyzeRequest]) async throws -> ResourcePhase {
        var phase = ResourcePhase()
        for request in requests {
            phase.remediations += try await analyzer.remediate(request).remediations.count
            let response = try await analyzer.analyze(request)
            phase.diagnostics += response.diagnostics.map(DiagnosticRecord.init)
            phase.notApplicable += response.notApplicable.count
            phase.calls += 2
        }
        return phase
    }

    /// AnalyzeStack once, over every resource.
    public func analyzeStack(_ request: Pulumirpc_AnalyzeStackRequest) async throws -> [DiagnosticRecord] {
        try await analyzer.analyzeStack(request).diagnostics.map(DiagnosticRecord.init)
    }
}
