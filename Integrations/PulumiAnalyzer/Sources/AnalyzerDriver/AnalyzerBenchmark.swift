import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import PulumiRPC
import RampartBenchKit
import RampartInputs
import RampartModel

/// A generated stack and a generated YAML pack directory to serve (rampart-bench's synthetic estate and policies).
public struct Workload: Sendable {
    public let stack: Stack
    public let packDirectory: String

    /// Writes a `policies`-policy YAML pack under `directory` and generates a `resources`-resource stack.
    public static func generate(resources: Int, policies: Int, in directory: String) throws -> Workload {
        let bytes = SyntheticState().export(resourceCount: resources)
        let stack = try InputReader().read(bytes: bytes, source: InputSource(path: "synthetic-\(resources).json"))
        let pack = try YAMLPolicies.writePack(count: policies, to: directory)
        return Workload(stack: stack, packDirectory: pack)
    }

    /// Analyze requests for every resource. The synthetic state's inputs hold only tags, so each resource's outputs
    /// (its full configuration) are sent as the inputs a program would have set.
    public func analyzeRequests() throws -> [Pulumirpc_AnalyzeRequest] {
        try stack.graph.resources.indices.map { try EngineRequests.analyze(stack, $0, properties: .outputs) }
    }

    public var project: String { stack.identity.project ?? "" }
    public var stackName: String { stack.identity.stack }
}

/// Drives an analyzer executable as the Pulumi engine does and measures what the analyzer process spends: the engine's
/// call sequence over one stack (CPU per call), then concurrent `Analyze` streams (latency, memory, dropped calls).
public struct AnalyzerBenchmark: Sendable {
    public var executable: String
    /// The engine's sequence: stack size and policy count.
    public var resources = 10_000
    public var policies = 7
    /// The load: preview size, concurrent streams and total calls.
    public var loadResources = 1_000
    public var streams = 50
    public var calls = 10_000
    /// Where the generated pack is written.
    public var workDirectory: String

    public init(executable: String, workDirectory: String) {
        self.executable = executable
        self.workDirectory = workDirectory
    }

    /// The engine's call sequence over one stack.
    public struct SequenceReport: Sendable {
        public var resources: Int
        public var perResourceCalls: Int
        /// Analyzer CPU seconds: the opening calls, Remediate + Analyze for every resource, AnalyzeStack.
        public var openCPU: Double
        public var perResourceCPU: Double
        public var analyzeStackCPU: Double
        public var totalCPU: Double
        public var wallSeconds: Double
        /// Analyze's and AnalyzeStack's diagnostics, sorted.
        public var diagnostics: [DiagnosticRecord]
        public var stackDiagnostics: Int
        public var remediations: Int
        public var peakRSS: Int
        /// The mean serialized `AnalyzeRequest`, without HTTP/2 or gRPC framing.
        public var meanRequestBytes: Int

        public var cpuPerCall: Double { perResourceCalls == 0 ? 0 : perResourceCPU / Double(perResourceCalls) }
    }

    /// Concurrent Analyze streams.
    public struct LoadReport: Sendable {
        public var resources: Int
        public var streams: Int
        public var calls: Int
        public var result: ConcurrentLoad.Result
        public var rssBefore: Int
        public var rssAfter: Int
        public var peakRSS: Int
        public var cpuSeconds: Double
        public var wallSeconds: Double
    }

    public func sequence() async throws -> SequenceReport {
        let workload = try Workload.generate(resources: resources, policies: policies, in: workDirectory)
        let requests = try workload.analyzeRequests()
        let stackRequest = try EngineRequests.analyzeStack(workload.stack)
        let requestBytes = try requests.reduce(0) { $0 + (try $1.serializedBytes() as [UInt8]).count }
        let process = try AnalyzerProcess(executable: executable, directory: workload.packDirectory)
        defer { process.stop() }
        return try await withClient(port: process.port) { analyzer in
            let calls = EngineCalls(analyzer)
            let clock = ContinuousClock()
            let started = clock.now
            let cpu0 = try process.cpuSeconds()
            try await calls.open(project: workload.project, stack: workload.stackName)
            let cpu1 = try process.cpuSeconds()
            let phase = try await calls.perResource(requests)
            let cpu2 = try process.cpuSeconds()
            let stackDiagnostics = try await calls.analyzeStack(stackRequest)
            let cpu3 = try process.cpuSeconds()
            let wall = started.duration(to: clock.now)
            return SequenceReport(
                resources: requests.count, perResourceCalls: phase.calls, openCPU: cpu1 - cpu0, perResourceCPU: cpu2 - cpu1,
                analyzeStackCPU: cpu3 - cpu2, totalCPU: cpu3, wallSeconds: Self.seconds(wall),
                diagnostics: (phase.diagnostics + stackDiagnostics).sorted(), stackDiagnostics: stackDiagnostics.count,
                remediations: phase.remediations, peakRSS: try process.memory().peak,
                meanRequestBytes: requestBytes / max(1, requests.count))
        }
    }

    public func load() async throws -> LoadReport {
        let workload = try Workload.generate(resources: loadResources, policies: policies, in: workDirectory)
        let requests = try workload.analyzeRequests()
        let process = try AnalyzerProcess(executable: executable, directory: workload.packDirectory)
        defer { process.stop() }
        return try await withClient(port: process.port) { analyzer in
            try await EngineCalls(analyzer).open(project: workload.project, stack: workload.stackName)
            // One sequential pass: the reference answers, and the warm-up before memory is read.
            let expected = try await ConcurrentLoad.reference(analyzer, requests)
            let before = try process.memory().resident
            let cpu0 = try process.cpuSeconds()
            let clock = ContinuousClock()
            let started = clock.now
            let result = await ConcurrentLoad(streams: streams, calls: calls).run(analyzer, requests: requests, expected: expected)
            let wall = started.duration(to: clock.now)
            let cpu = try process.cpuSeconds() - cpu0
            let memory = try process.memory()
            return LoadReport(resources: requests.count, streams: streams, calls: calls, result: result, rssBefore: before,
                              rssAfter: memory.resident, peakRSS: memory.peak, cpuSeconds: cpu, wallSeconds: Self.seconds(wall))
        }
    }

    private func withClient<R: Sendable>(port: Int, _ body: (Pulumirpc_Analyzer.Client<HTTP2ClientTransport.Posix>) async throws -> R)
        async throws -> R {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(Pulumirpc_Analyzer.Client(wrapping: client))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
