import Dispatch
import NIOCore
import PulumiRPC
import RampartModel
import SwiftProtobuf

/// Times the analyzer's service alone, in this process: `Analyze` calls answered by `AnalyzerService` from their
/// request bytes, with no socket, HTTP/2 or scheduler in the way. Over a socket, a call's CPU moves by several
/// microseconds from run to run on a shared machine; this moves by a few percent, so a change to the service can be
/// measured on its own (`analyzer-load --service-passes N`, docs/performance.md).
public struct ServiceTiming: Sendable {
    public struct Report: Sendable {
        /// The fastest pass over every request, per call.
        public var nanosecondsPerCall: Double
        public var calls: Int
        /// The bytes of every answer of a pass, with their gRPC prefix: the same for two builds that answer alike.
        public var answerBytes: Int
        public var failures: Int
    }

    public let pack: AnalyzerPack
    public let stack: StackIdentity

    public init(pack: AnalyzerPack, stack: StackIdentity) {
        self.pack = pack
        self.stack = stack
    }

    /// Configures the service as the engine does (the stack, then every policy at the level the pack describes),
    /// then answers every request `passes` times.
    public func analyze(_ requests: [[UInt8]], passes: Int) -> Report {
        let service = AnalyzerService(pack: pack, pluginVersion: "timing")
        var configureStack = Pulumirpc_AnalyzerStackConfigureRequest()
        configureStack.organization = stack.organization ?? ""
        configureStack.project = stack.project ?? ""
        configureStack.stack = stack.stack
        configureStack.dryRun = true
        _ = service.configureStack(configureStack)
        var configure = Pulumirpc_ConfigureAnalyzerRequest()
        for policy in service.getAnalyzerInfo(Google_Protobuf_Empty()).policies {
            var config = Pulumirpc_PolicyConfig()
            config.enforcementLevel = policy.enforcementLevel
            configure.policyConfig[policy.name] = config
        }
        _ = service.configure(configure)

        let buffers = requests.map { ByteBuffer(bytes: $0) }
        var report = Report(nanosecondsPerCall: .infinity, calls: buffers.count, answerBytes: 0, failures: 0)
        for _ in 0..<max(1, passes) {
            var bytes = 0, failures = 0
            let started = DispatchTime.now().uptimeNanoseconds
            for request in buffers {
                switch service.respond(to: .analyze, request: request) {
                case .response(let answer): bytes &+= answer.readableBytes
                case .failure: failures &+= 1
                }
            }
            let elapsed = DispatchTime.now().uptimeNanoseconds &- started
            report.nanosecondsPerCall = min(report.nanosecondsPerCall, Double(elapsed) / Double(max(1, buffers.count)))
            report.answerBytes = bytes
            report.failures = failures
        }
        return report
    }
}
