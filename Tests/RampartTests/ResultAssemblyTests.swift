import Foundation
import Rampart
import RampartBenchKit
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartPolicy
import RampartReports
import Testing

/// How a stack's outcomes become findings and counts: by several workers at once, and with or without a record of
/// every evaluation — the reports must come out byte for byte the same.
@Suite struct ResultAssemblyTests {
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

    /// Workers evaluate compiled rules through copies of their own (`copyForWorker()`): the generated 100-rule pack
    /// must give several workers exactly one worker's findings.
    @Test func compiledRulesOnSeveralWorkersGiveOneWorkersFindings() throws {
        let stack = try InputReader().read(bytes: SyntheticState().export(resourceCount: 3_000),
                                           source: InputSource(path: "synthetic.json"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packs = try PackLoader().load([try YAMLPolicies.writePack(count: 100, to: directory)])
        func report(jobs: Int) -> ScanReport {
            let engine = Engine(packs: packs, options: EngineOptions(jobs: jobs, today: "2026-11-26", recordEvaluations: true))
            return engine.report([engine.evaluate(stack)], inputs: ["synthetic.json"], tool: ToolInfo(version: "test"),
                                 timestamp: "2026-11-26T00:00:00Z")
        }
        let one = report(jobs: 1), two = report(jobs: 2)
        #expect(one.findings.count > 500)
        #expect(one.evaluations.count == two.evaluations.count)
        #expect(one.evaluations.map(\.finding) == two.evaluations.map(\.finding))
        let writer = ReportWriter(options: ReportOptions(color: false))
        #expect(try writer.render(one, as: .json) == (try writer.render(two, as: .json)))
    }

    /// Without evaluation records, passes and not-applicable outcomes are only counted: findings, counts and the
    /// JSON and SARIF reports must not change.
    @Test func countingPassesInsteadOfKeepingThemChangesNoFindingOrCount() throws {
        let stack = try InputReader().read(bytes: SyntheticState().export(resourceCount: 3_000),
                                           source: InputSource(path: "synthetic.json"))
        func report(recording: Bool) -> ScanReport {
            let engine = Engine(packs: BuiltinPacks.all,
                                options: EngineOptions(jobs: 2, today: "2026-11-26", recordEvaluations: recording))
            return engine.report([engine.evaluate(stack)], inputs: ["synthetic.json"], tool: ToolInfo(version: "test"),
                                 timestamp: "2026-11-26T00:00:00Z")
        }
        let kept = report(recording: true), counted = report(recording: false)
        #expect(counted.evaluations.isEmpty)
        #expect(kept.findings.map(\.fingerprint) == counted.findings.map(\.fingerprint))
        #expect(kept.packs == counted.packs)
        #expect(counted.packs.flatMap(\.policies).contains { $0.counts.pass > 0 })
        let writer = ReportWriter(options: ReportOptions(color: false))
        for format in [ReportFormat.json, .sarif] {
            #expect(try writer.render(kept, as: format) == (try writer.render(counted, as: format)), "\(format.rawValue)")
        }
    }
}
