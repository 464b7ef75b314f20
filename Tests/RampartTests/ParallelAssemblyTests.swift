import Rampart
import RampartBenchKit
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartPolicy
import RampartReports
import Testing

/// A big stack's outcomes are assembled by several workers; the joined result must be the one a single worker
/// builds, byte for byte, in every report.
@Suite struct ParallelAssemblyTests {
    @Test func resultsOfSeveralWorkersEqualOneWorkersOnAStackLargeEnoughToSplit() throws {
        let stack = try InputReader().read(bytes: SyntheticState().export(resourceCount: 5_000),
                                           source: InputSource(path: "synthetic.json"))
        func report(jobs: Int) -> ScanReport {
            let engine = Engine(packs: BuiltinPacks.all, options: EngineOptions(jobs: jobs, today: "2026-11-26"))
            let result = engine.evaluate(stack)
            return engine.report([result], inputs: ["synthetic.json"], tool: ToolInfo(version: "test"),
                                 timestamp: "2026-11-26T00:00:00Z")
        }
        let one = report(jobs: 1), three = report(jobs: 3)
        // More outcomes than one worker's share, so three workers really cut the outcomes into several runs.
        #expect(one.evaluations.count > 3 * 8192)
        #expect(one.findings.count > 1_000)
        #expect(one.findings.map(\.fingerprint) == three.findings.map(\.fingerprint))
        #expect(one.evaluations.map(\.finding) == three.evaluations.map(\.finding))
        let writer = ReportWriter(options: ReportOptions(color: false))
        for format in [ReportFormat.json, .junit, .sarif] {
            #expect(try writer.render(one, as: format) == (try writer.render(three, as: format)), "\(format.rawValue)")
        }
    }
}
