@testable import Rampart
import RampartEngine
import RampartInputs
import RampartPolicy
import Testing

@Suite struct HygieneTests {
    func report(exemptions: [Exemption], things: [(String, Bool, [String])] = [("a", true, [])]) throws -> ScanReport {
        let stack = try InputReader().read(bytes: BaselineFixture.state(things), source: InputSource(path: "state.json"))
        let pack = PolicyPack(name: "test", version: "1", description: "t", enforcementLevel: .mandatory,
                              policies: [NoBadThings()], origin: "test")
        let engine = Engine(packs: [pack], exemptions: exemptions, options: EngineOptions(jobs: 1, today: "2026-11-26"))
        return engine.report([engine.evaluate(stack)], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
    }

    let expired = Exemption(policy: "test/no-bad-things", resources: ["*::a"], reason: "waiting for vendor", expires: "2026-01-31")

    @Test func expiredExemptionIsAnAdvisoryFindingByDefault() throws {
        var r = try report(exemptions: [expired])
        HygieneStep(strict: false, toolVersion: "t").apply(to: &r, staleEntries: [], maxAgeDays: nil)
        let hygiene = try #require(r.findings.first { $0.policy == "expired-exemption" })
        #expect(hygiene.enforcementLevel == .advisory)
        #expect(hygiene.message.contains("expired on 2026-01-31"))
        #expect(r.packs.contains { $0.name == "rampart" })
        // The violation the expired exemption used to waive fails the run on its own.
        #expect(r.findings.contains { $0.policy == "no-bad-things" && $0.exemption == nil })
    }

    @Test func strictMakesExpiredExemptionsMandatory() throws {
        var r = try report(exemptions: [expired], things: [("a", false, [])])
        #expect(!r.verdict.failed)
        HygieneStep(strict: true, toolVersion: "t").apply(to: &r, staleEntries: [], maxAgeDays: nil)
        #expect(r.verdict.failed)
    }

    @Test func oldBaselineEntriesAreReportedStale() throws {
        let old = try report(exemptions: [])
        let baseline = Baseline.record(old, today: "2025-01-01")
        var r = try report(exemptions: [])
        let stale = BaselineStep(baseline: baseline, file: "b.json", aliases: [:]).apply(to: &r, today: "2026-11-26", maxAgeDays: 180).stale
        #expect(stale.count == 1)
        #expect(!r.verdict.failed)
        HygieneStep(strict: false, toolVersion: "t").apply(to: &r, staleEntries: stale, maxAgeDays: 180)
        #expect(r.findings.contains { $0.policy == "stale-baseline-entry" && $0.enforcementLevel == .advisory })
        #expect(!r.verdict.failed)
        let fresh = BaselineStep(baseline: baseline, file: "b.json", aliases: [:]).apply(to: &r, today: "2025-02-01", maxAgeDays: 180).stale
        #expect(fresh.isEmpty)
    }
}
