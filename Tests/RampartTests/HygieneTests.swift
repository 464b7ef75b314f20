@testable import Rampart
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

@Suite struct HygieneTests {
    func report(exemptions: [Exemption], things: [(String, Bool, [String])] = [("a", true, [])], strict: Bool = false,
                resolver: SettingsResolver = SettingsResolver(), baseline: Baseline? = nil, today: String = "2026-11-26") throws -> ScanReport {
        let stack = try InputReader().read(bytes: BaselineFixture.state(things), source: InputSource(path: "state.json"))
        let pack = PolicyPack(name: "test", version: "1", description: "t", enforcementLevel: .mandatory,
                              policies: [NoBadThings()], origin: "test")
        let engine = Engine(packs: [pack, HygienePack.pack(version: "t", strict: strict)], resolver: resolver,
                            exemptions: exemptions, options: EngineOptions(jobs: 1, today: today))
        return engine.report([engine.evaluate(stack)], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t",
                             baseline: baseline.map { BaselineComparisonInput(baseline: $0, file: "b.json", maxAgeDays: 180) })
    }

    let expired = Exemption(policy: "test/no-bad-things", resources: ["*::a"], reason: "waiting for vendor", expires: "2026-01-31")

    @Test func expiredExemptionIsAnAdvisoryFindingByDefault() throws {
        let r = try report(exemptions: [expired])
        let hygiene = try #require(r.findings.first { $0.policy == "expired-exemption" })
        #expect(hygiene.pack == "rampart")
        #expect(hygiene.enforcementLevel == .advisory)
        #expect(hygiene.message.contains("expired on 2026-01-31"))
        #expect(r.packs.contains { $0.name == "rampart" })
        // The violation the expired exemption used to waive fails the run on its own.
        #expect(r.findings.contains { $0.policy == "no-bad-things" && $0.exemption == nil })
    }

    @Test func strictMakesExpiredExemptionsMandatory() throws {
        #expect(!(try report(exemptions: [expired], things: [("a", false, [])])).verdict.failed)
        #expect(try report(exemptions: [expired], things: [("a", false, [])], strict: true).verdict.failed)
    }

    @Test func configuredLevelsApplyToHygienePoliciesPerStack() throws {
        var layer = PackSettingsLayer()
        layer.levels["expired-exemption"] = .mandatory
        let raised = SettingsResolver(stackLayers: [("*", "rampart", layer)])
        let r = try report(exemptions: [expired], things: [("a", false, [])], resolver: raised)
        #expect(r.findings.first { $0.policy == "expired-exemption" }?.enforcementLevel == .mandatory)
        #expect(r.verdict.failed)
        layer.levels["expired-exemption"] = .disabled
        let off = try report(exemptions: [expired], things: [("a", false, [])],
                             resolver: SettingsResolver(stackLayers: [("*", "rampart", layer)]))
        #expect(!off.findings.contains { $0.pack == "rampart" })
        #expect(!off.packs.contains { $0.name == "rampart" })
    }

    @Test func hygieneFindingsCanBeExempted() throws {
        let waiver = Exemption(policy: "rampart/expired-exemption", reason: "vendor fix lands next sprint")
        let r = try report(exemptions: [expired, waiver], things: [("a", false, [])], strict: true)
        let hygiene = try #require(r.findings.first { $0.policy == "expired-exemption" })
        #expect(hygiene.exemption?.reason == "vendor fix lands next sprint")
        #expect(!r.verdict.failed)
    }

    @Test func cleanRunsDoNotListTheHygienePack() throws {
        let r = try report(exemptions: [], things: [("a", false, [])])
        #expect(!r.packs.contains { $0.name == "rampart" })
    }

    @Test func oldBaselineEntriesAreReportedStale() throws {
        let old = try report(exemptions: [])
        let baseline = Baseline.record(old, today: "2025-01-01")
        let r = try report(exemptions: [], baseline: baseline)
        #expect(r.findings.contains { $0.policy == "stale-baseline-entry" && $0.enforcementLevel == .advisory })
        #expect(r.findings.filter { $0.policy == "stale-baseline-entry" }.count == 1)
        #expect(!r.verdict.failed)
        let fresh = try report(exemptions: [], baseline: baseline, today: "2025-02-01")
        #expect(!fresh.findings.contains { $0.policy == "stale-baseline-entry" })
    }
}
