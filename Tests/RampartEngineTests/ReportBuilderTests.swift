import RampartEngine
import RampartModel
import RampartPolicy
import Testing

/// `ReportBuilder` lists the policies a report covers and points each evaluation at its policy there.
@Suite struct ReportBuilderTests {
    /// A policy whose outcome names it, so an evaluation can be traced to the policy that made it.
    static func policy(_ name: String, level: EnforcementLevel? = nil) -> any Policy {
        SwiftResourcePolicy(PolicyDescriptor(name: name, description: name, enforcementLevel: level), types: [TestPack.type]) { _, _ in
            .violation(Violation("made by \(name)"))
        }
    }

    static func report(_ stacks: [Stack], disabling: String?) -> ScanReport {
        let names = ["first", "second", "third"]
        let pack = PolicyPack(name: "p", version: "1", description: "d", enforcementLevel: .advisory,
                              policies: names.map { policy($0, level: $0 == disabling ? .disabled : nil) }, origin: "test")
        let engine = Engine(packs: [pack], resolver: SettingsResolver(), exemptions: [],
                            options: EngineOptions(jobs: 1, today: "2026-12-05"))
        return engine.report(stacks.map { engine.evaluate($0) }, inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
    }

    @Test func evaluationsPointAtTheirPolicyWhenAnotherIsLeftOut() throws {
        let one = try TestPack.stack(["a", "b"])
        var two = try TestPack.stack(["c"])
        two.identity = StackIdentity(parsing: "acme/web/dev")!
        for (stacks, disabling) in [([one], "first"), ([one], "second"), ([one], nil), ([one, two], "second"), ([one, two], nil)] {
            let report = Self.report(stacks, disabling: disabling)
            let listed = report.packs[0].policies.map(\.name)
            #expect(!listed.contains { $0 == disabling })
            #expect(report.evaluations.count == stacks.reduce(0) { $0 + $1.graph.count } * listed.count)
            for e in report.evaluations {
                let policy = report.packs[Int(e.pack)].policies[Int(e.policy)].name
                let finding = report.findings[Int(e.finding)]
                #expect(finding.message == "made by \(policy)", "\(disabling ?? "none"): evaluation of \(policy)")
                #expect(report.stacks[Int(e.stack)].name == finding.stack)
            }
        }
    }
}
