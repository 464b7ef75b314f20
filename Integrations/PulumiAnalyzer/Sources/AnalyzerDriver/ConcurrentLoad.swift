import GRPCCore
import PulumiRPC

/// Many concurrent `Analyze` streams over one connection, as a large `pulumi up` analyses resources in parallel.
/// Every response is compared with the one a sequential call got for the same request, so a dropped, failed or
/// mixed-up answer is counted rather than hidden in the latency figures.
public struct ConcurrentLoad: Sendable {
    public var streams: Int
    public var calls: Int

    public init(streams: Int, calls: Int) {
        self.streams = max(1, streams)
        self.calls = max(0, calls)
    }

    public struct Result: Sendable {
        /// Latency of every answered call, in seconds, sorted.
        public var latencies: [Double]
        /// Calls whose response differed from the sequential one for the same request.
        public var mismatches: Int
        /// Calls that failed, with the first error's text.
        public var failures: Int
        public var firstFailure: String?
        public var answered: Int { latencies.count }

        public func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let rank = Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1
            return latencies[min(max(rank, 0), latencies.count - 1)]
        }
    }

    /// The answers a single caller gets, one request after another: the reference for `run`.
    public static func reference<T: ClientTransport>(_ analyzer: Pulumirpc_Analyzer.Client<T>,
                                                     _ requests: [Pulumirpc_AnalyzeRequest]) async throws
        -> [Pulumirpc_AnalyzeResponse] {
        var answers: [Pulumirpc_AnalyzeResponse] = []
        answers.reserveCapacity(requests.count)
        for request in requests { answers.append(try await analyzer.analyze(request)) }
        return answers
    }

    /// Call `i` (0 ..< calls) sends `requests[i % requests.count]`; stream `s` makes calls `s, s + streams, …`.
    public func run<T: ClientTransport>(_ analyzer: Pulumirpc_Analyzer.Client<T>, requests: [Pulumirpc_AnalyzeRequest],
                                        expected: [Pulumirpc_AnalyzeResponse]) async -> Result {
        precondition(!requests.isEmpty && requests.count == expected.count, "one expected answer per request")
        let streams = self.streams, calls = self.calls
        return await withTaskGroup(of: Result.self) { group in
            for stream in 0..<streams {
                group.addTask {
                    var part = Result(latencies: [], mismatches: 0, failures: 0)
                    let clock = ContinuousClock()
                    for call in stride(from: stream, to: calls, by: streams) {
                        let index = call % requests.count
                        let start = clock.now
                        do {
                            let response = try await analyzer.analyze(requests[index])
                            let elapsed = start.duration(to: clock.now)
                            part.latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                            if response != expected[index] { part.mismatches += 1 }
                        } catch {
                            part.failures += 1
                            if part.firstFailure == nil { part.firstFailure = "\(error)" }
                        }
                    }
                    return part
                }
            }
            var total = Result(latencies: [], mismatches: 0, failures: 0)
            for await part in group {
                total.latencies += part.latencies
                total.mismatches += part.mismatches
                total.failures += part.failures
                total.firstFailure = total.firstFailure ?? part.firstFailure
            }
            total.latencies.sort()
            return total
        }
    }
}
