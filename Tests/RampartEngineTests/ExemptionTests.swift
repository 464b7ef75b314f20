import RampartEngine
import RampartModel
import RampartPolicy
import Testing

@Suite struct ExemptionTests {
    let urnA = "urn:pulumi:example::example::test:index:Thing::a"

    func run(_ exemptions: [Exemption], stack: String = "acme/web/prod") throws -> ScanReport {
        let engine = TestPack.engine(exemptions: exemptions)
        let result = engine.evaluate(try TestPack.stack(["a", "b"], identity: stack))
        return engine.report([result], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
    }

    func exempted(_ report: ScanReport) -> [String] {
        report.findings.filter { $0.exemption != nil }.map { "\($0.policy) \($0.resource!.name)" }.sorted()
    }

    @Test func matchesByURNGlobAndPackQualifiedPolicy() throws {
        let report = try run([Exemption(policy: "test-pack/beta", resources: ["*::a"], reason: "legacy")])
        #expect(exempted(report) == ["beta a"])
        #expect(report.packs[0].policies.first { $0.name == "beta" }?.counts.exempted == 1)
        #expect(report.packs[0].policies.first { $0.name == "beta" }?.counts.violation == 1)
        #expect(report.exemptions.map(\.urn) == [urnA])
    }

    @Test func matchesByTypeAndBarePolicyName() throws {
        let report = try run([Exemption(policy: "alpha", types: ["test:index:*"], reason: "all things")])
        #expect(exempted(report) == ["alpha a", "alpha b"])
    }

    @Test func matchesByStackGlobOnly() throws {
        #expect(exempted(try run([Exemption(policy: "beta", stacks: ["*/*/dev"], reason: "dev")])).isEmpty)
        #expect(exempted(try run([Exemption(policy: "beta", stacks: ["*/*/dev"], reason: "dev")], stack: "acme/web/dev")) == ["beta a", "beta b"])
    }

    @Test func exemptedMandatoryViolationsDoNotFailTheRun() throws {
        let report = try run([Exemption(policy: "test-pack/*", reason: "waived")])
        #expect(!report.verdict.failed)
        #expect(report.findings.allSatisfy { $0.exemption != nil })
    }

    @Test func anExemptionAppliesThroughItsExpiryDay() throws {
        let report = try run([Exemption(policy: "beta", reason: "until today", expires: "2026-11-26")])
        #expect(exempted(report) == ["beta a", "beta b"])
    }

    @Test func expiredExemptionStopsApplyingAndIsReported() throws {
        let report = try run([Exemption(policy: "beta", resources: [urnA], reason: "was temporary", expires: "2026-11-25",
                                        source: "rampart.yaml:9:5")])
        #expect(exempted(report).isEmpty)
        #expect(report.verdict.failed)
        #expect(report.exemptions == [ExemptionRecord(policy: "beta", urn: urnA, reason: "was temporary", expires: "2026-11-25",
                                                      expired: true, source: "rampart.yaml:9:5")])
    }

    @Test func otherPoliciesAndResourcesAreNotExempted() throws {
        let report = try run([Exemption(policy: "test-pack/beta", resources: [urnA], reason: "one")])
        #expect(exempted(report) == ["beta a"])
        #expect(report.findings.contains { $0.policy == "beta" && $0.resource?.name == "b" && $0.exemption == nil })
        #expect(report.findings.contains { $0.policy == "alpha" && $0.resource?.name == "a" && $0.exemption == nil })
    }
}
