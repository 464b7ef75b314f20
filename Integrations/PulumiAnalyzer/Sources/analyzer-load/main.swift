import AnalyzerDriver
import Foundation
import RampartAnalyzer
import RampartModel

// analyzer-load: drives a rampart-analyzer executable the way the Pulumi engine does, over a real socket, and prints
// what the analyzer process spent (docs/performance.md, "Round four"). Options: --analyzer PATH (default: the
// rampart-analyzer next to this program), --resources N, --policies N, --load-resources N, --streams N, --calls N,
// --diagnostics FILE (writes the sequence's diagnostics, sorted, one a line), --floor N (the socket floor's round trips;
// docs/performance.md, "Round eleven"), --service-passes N (instead of all that, times the service alone in this process:
// N passes of the sequence's Analyze requests; "Round thirty-two"), --service-idle US (with --service-passes: sleeps US
// microseconds before each call and counts each call's CPU time, as a connection's thread sleeps between calls;
// "Round thirty-three").
do {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var values: [String: String] = [:]
    while !arguments.isEmpty {
        let name = arguments.removeFirst()
        guard name.hasPrefix("--"), !arguments.isEmpty else {
            throw DriverError.usage("usage: analyzer-load [--analyzer PATH] [--resources N] [--policies N] "
                                    + "[--load-resources N] [--streams N] [--calls N] [--diagnostics FILE] [--floor N] "
                                    + "[--service-passes N [--service-idle US]] (found '\(name)')")
        }
        values[String(name.dropFirst(2))] = arguments.removeFirst()
    }
    func number(_ key: String, _ fallback: Int) throws -> Int {
        guard let text = values.removeValue(forKey: key) else { return fallback }
        guard let value = Int(text), value > 0 else { throw DriverError.usage("--\(key) \(text): expected a positive integer") }
        return value
    }
    let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rampart-analyzer").path
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("analyzer-load-\(getpid())").path
    var benchmark = AnalyzerBenchmark(executable: values.removeValue(forKey: "analyzer") ?? sibling, workDirectory: work)
    benchmark.resources = try number("resources", benchmark.resources)
    benchmark.policies = try number("policies", benchmark.policies)
    benchmark.loadResources = try number("load-resources", benchmark.loadResources)
    benchmark.streams = try number("streams", benchmark.streams)
    benchmark.calls = try number("calls", benchmark.calls)
    var floor = SocketFloor()
    floor.roundTrips = try number("floor", floor.roundTrips)
    let diagnosticsFile = values.removeValue(forKey: "diagnostics")
    let servicePasses = values["service-passes"] == nil ? nil : try number("service-passes", 1)
    let serviceIdle = values["service-idle"] == nil ? nil : try number("service-idle", 1)
    if serviceIdle != nil, servicePasses == nil { throw DriverError.usage("--service-idle needs --service-passes") }
    if let unknown = values.keys.sorted().first { throw DriverError.usage("unknown option --\(unknown)") }
    defer { try? FileManager.default.removeItem(atPath: work) }

    if let servicePasses {
        // The service alone: the sequence's Analyze requests answered in this process, fastest of the passes.
        let workload = try Workload.generate(resources: benchmark.resources, policies: benchmark.policies, in: work)
        let requests = try workload.analyzeRequests().map { try $0.serializedBytes() as [UInt8] }
        let pack = try AnalyzerPackDirectory(directory: workload.packDirectory).load()
        let identity = StackIdentity(organization: "acme", project: workload.project, stack: workload.stackName)
        let t = ServiceTiming(pack: pack, stack: identity).analyze(requests, passes: servicePasses, idleMicroseconds: serviceIdle ?? 0)
        let idle = serviceIdle.map { " of CPU after \($0) µs idle" } ?? ""
        print(String(format: "service only: %.0f ns", t.nanosecondsPerCall) + idle
              + " per Analyze, fastest of \(servicePasses) passes over \(t.calls) requests; \(t.answerBytes) answer bytes a pass, \(t.failures) failed")
        try? FileManager.default.removeItem(atPath: work)  // `exit` skips the `defer`
        exit(t.failures == 0 ? 0 : 1)
    }

    let s = try await benchmark.sequence()
    let us = { (seconds: Double) in String(format: "%.1f µs", seconds * 1e6) }
    let sec = { (seconds: Double) in String(format: "%.2f s", seconds) }
    let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1048576) }
    print("engine sequence: \(s.resources) resources, \(benchmark.policies) YAML policies, \(s.perResourceCalls) Remediate+Analyze calls")
    print("  analyzer CPU: opening calls \(sec(s.openCPU)), per-resource calls \(sec(s.perResourceCPU)) "
          + "(\(us(s.cpuPerCall)) per call), AnalyzeStack \(sec(s.analyzeStackCPU)), process total \(sec(s.totalCPU))")
    print("  wall \(sec(s.wallSeconds)), peak RSS \(mib(s.peakRSS)); \(s.diagnostics.count) diagnostics "
          + "(\(s.stackDiagnostics) from AnalyzeStack), \(s.remediations) remediations")
    // The same calls' kernel work without HTTP/2, protobuf or Rampart: requests of the sequence's mean size with
    // their framing (HEADERS and DATA frames, the gRPC prefix: ~60 bytes), answers of an empty AnalyzeResponse's
    // framing, and the engine's pause between calls as this sequence measured it.
    floor.requestBytes = s.meanRequestBytes + 60
    floor.responseBytes = 100
    floor.thinkMicroseconds = max(0, Int((s.wallSeconds / Double(max(1, s.perResourceCalls)) - s.cpuPerCall) * 1e6))
    let f = try floor.measure()
    print("socket floor: \(us(f.cpuPerRoundTrip)) of server CPU per round trip (a blocking read and a send over loopback TCP; "
          + "\(f.roundTrips) round trips of \(floor.requestBytes)/\(floor.responseBytes) bytes, \(floor.thinkMicroseconds) µs apart)")
    if let diagnosticsFile {
        // One line per diagnostic, sorted: two builds of the analyzer must write the same file.
        try Data(s.diagnostics.map { "\($0)\n" }.joined().utf8).write(to: URL(fileURLWithPath: diagnosticsFile))
    }
    let l = try await benchmark.load()
    let r = l.result
    print("load: \(l.streams) concurrent Analyze streams, \(l.calls) calls over a \(l.resources)-resource preview")
    print(String(format: "  latency p50 %.3f ms, p99 %.3f ms, max %.3f ms; %.0f calls/s; analyzer CPU %.1f µs per call",
                 r.percentile(50) * 1e3, r.percentile(99) * 1e3, (r.latencies.last ?? 0) * 1e3,
                 Double(r.answered) / l.wallSeconds, l.cpuSeconds / Double(max(l.calls, 1)) * 1e6))
    print("  answered \(r.answered) of \(l.calls), failed \(r.failures), differing from the sequential answer \(r.mismatches)"
          + (r.firstFailure.map { " (first failure: \($0))" } ?? ""))
    print("  RSS before \(mib(l.rssBefore)), after \(mib(l.rssAfter)), peak \(mib(l.peakRSS))")
    print("analyzer-load summary: cpu_per_call_us=\(String(format: "%.1f", s.cpuPerCall * 1e6)) "
          + "socket_floor_us=\(String(format: "%.1f", f.cpuPerRoundTrip * 1e6)) "
          + "diagnostics=\(s.diagnostics.count) load_answered=\(r.answered)/\(l.calls) "
          + "p50_ms=\(String(format: "%.3f", r.percentile(50) * 1e3)) p99_ms=\(String(format: "%.3f", r.percentile(99) * 1e3))")
    if r.answered != l.calls || r.mismatches != 0 { exit(1) }
} catch {
    FileHandle.standardError.write(Data("analyzer-load: \(error)\n".utf8))
    exit(2)
}
