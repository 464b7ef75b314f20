import AnalyzerDriver
import Foundation
import RampartAnalyzer
import RampartEngine
import RampartModel
import Testing

/// The load client (`analyzer-load`) at small counts against the real `rampart-analyzer`: every call is answered and
/// the diagnostics are the ones Rampart's engine finds in-process over the same resources.
@Suite struct AnalyzerLoadTests {
    typealias H = AnalyzerHarness

    static func benchmark(_ work: URL) -> AnalyzerBenchmark {
        var benchmark = AnalyzerBenchmark(executable: H.executable("rampart-analyzer"), workDirectory: work.path)
        benchmark.resources = 120
        benchmark.loadResources = 40
        benchmark.streams = 6
        benchmark.calls = 300
        return benchmark
    }

    static func withWorkDirectory<R>(_ body: (URL) async throws -> R) async throws -> R {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("analyzer-load-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        return try await body(work)
    }

    @Test func engineSequenceReportsTheViolationsTheEngineFindsInProcess() async throws {
        try await Self.withWorkDirectory { work in
            let benchmark = Self.benchmark(work)
            let report = try await benchmark.sequence()
            #expect(report.resources == 120)
            #expect(report.perResourceCalls == 240)
            #expect(report.stackDiagnostics == 0)  // the generated pack has no stack policy
            #expect(report.remediations == 0)

            // The same resources evaluated in-process: each one's sent properties (its outputs) as its inputs.
            let workload = try Workload.generate(resources: benchmark.resources, policies: benchmark.policies, in: work.path)
            let pack = try AnalyzerPackDirectory(directory: workload.packDirectory).load()
            var resources = workload.stack.graph.resources
            for i in resources.indices { resources[i].inputs = resources[i].outputs }
            let identity = StackIdentity(organization: "acme", project: workload.project, stack: workload.stackName)
            let stack = Stack(identity: identity, source: "in-process", kind: .engineEvents, propertySource: .inputs,
                              graph: ResourceGraph(resources: resources))
            let result = Engine(packs: pack.packs, resolver: pack.settings, options: EngineOptions(today: "2026-12-01")).evaluate(stack)
            let expected = result.findings.compactMap { finding -> String? in
                guard case .violation = finding.outcome, let urn = finding.resource?.urn else { return nil }
                return "advisory \(pack.wireName(of: PolicyKey(pack: finding.pack, policy: finding.policy))) \(urn)"
            }.sorted()
            #expect(expected.count > 10)
            #expect(report.diagnostics.map { "\($0.level) \($0.policy) \($0.urn)" }.sorted() == expected)
        }
    }

    @Test func concurrentStreamsAnswerEveryCallAsASingleCallerIsAnswered() async throws {
        try await Self.withWorkDirectory { work in
            let report = try await Self.benchmark(work).load()
            #expect(report.resources == 40)
            #expect(report.result.failures == 0, "first failure: \(report.result.firstFailure ?? "")")
            #expect(report.result.answered == 300)
            #expect(report.result.mismatches == 0)
            #expect(report.rssBefore > 0 && report.peakRSS >= report.rssAfter)
        }
    }

    /// `--service-passes`: the sequence's Analyze requests answered in-process, every pass the same answers.
    @Test func serviceTimingAnswersEveryRequestInProcessTheSameOnEveryPass() async throws {
        try await Self.withWorkDirectory { work in
            let benchmark = Self.benchmark(work)
            let workload = try Workload.generate(resources: benchmark.resources, policies: benchmark.policies, in: work.path)
            let requests = try workload.analyzeRequests().map { try $0.serializedBytes() as [UInt8] }
            let pack = try AnalyzerPackDirectory(directory: workload.packDirectory).load()
            let timing = ServiceTiming(pack: pack, stack: StackIdentity(organization: "acme", project: workload.project,
                                                                         stack: workload.stackName))
            let once = timing.analyze(requests, passes: 1), thrice = timing.analyze(requests, passes: 3)
            // `--service-idle`: the same answers with a sleep before each call, its CPU time counted, not the sleep.
            let idle = timing.analyze(requests, passes: 1, idleMicroseconds: 5_000)
            #expect(once.calls == 120 && once.failures == 0)
            #expect(once.answerBytes == thrice.answerBytes && idle.answerBytes == once.answerBytes && idle.failures == 0)
            #expect(once.nanosecondsPerCall > 0 && thrice.nanosecondsPerCall.isFinite)
            // Had the 5 ms sleeps been counted, each call would show more than 5 ms.
            #expect(idle.nanosecondsPerCall > 0 && idle.nanosecondsPerCall < 5_000_000)
            // Answers, not bare prefixes: every resource gets its not-applicable entries at least.
            #expect(once.answerBytes > 50 * once.calls)
        }
    }
}
