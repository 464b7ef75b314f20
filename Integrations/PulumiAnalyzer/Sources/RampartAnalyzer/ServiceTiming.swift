#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        /// The fastest pass over every request, per call: wall time, or with an idle time the thread's CPU time.
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
    /// - Parameter idleMicroseconds: when positive, the thread sleeps this long before each call, as a connection's
    ///   thread sleeps in `read` between the engine's calls, and each call's CPU time is what is counted: what the
    ///   service costs when it starts with the caches the idle time left it, not when it runs calls back to back.
    public func analyze(_ requests: [[UInt8]], passes: Int, idleMicroseconds: Int = 0) -> Report {
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
            var bytes = 0, failures = 0, cpu = 0
            let started = DispatchTime.now().uptimeNanoseconds
            for request in buffers {
                if idleMicroseconds > 0 { Self.sleep(microseconds: idleMicroseconds) }
                let before = idleMicroseconds > 0 ? Self.threadCPUNanoseconds() : 0
                switch service.respond(to: .analyze, request: request) {
                case .response(let answer): bytes &+= answer.readableBytes
                case .failure: failures &+= 1
                }
                if idleMicroseconds > 0 { cpu &+= Self.threadCPUNanoseconds() &- before }
            }
            let elapsed = idleMicroseconds > 0 ? cpu : Int(DispatchTime.now().uptimeNanoseconds &- started)
            report.nanosecondsPerCall = min(report.nanosecondsPerCall, Double(elapsed) / Double(max(1, buffers.count)))
            report.answerBytes = bytes
            report.failures = failures
        }
        return report
    }

    /// `nanosleep`, which takes any length (`usleep` may refuse a second or more), resumed if a signal cuts it short.
    private static func sleep(microseconds: Int) {
        var wanted = timespec(tv_sec: microseconds / 1_000_000, tv_nsec: microseconds % 1_000_000 * 1_000), left = timespec()
        while nanosleep(&wanted, &left) != 0, errno == EINTR { wanted = left }
    }

    private static func threadCPUNanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }
}
