import Foundation
import RampartPolicy
@testable import RampartReports
import Testing

/// The parts of a SARIF log the tests read back.
struct SARIFLog: Decodable {
    struct Run: Decodable {
        var tool: Tool
        var results: [Result]
    }
    struct Tool: Decodable { var driver: Driver }
    struct Driver: Decodable {
        var name: String
        var version: String
        var rules: [Rule]
    }
    struct Rule: Decodable {
        var id: String
        var shortDescription: Text
        var help: Help
        var properties: RuleProperties
    }
    struct RuleProperties: Decodable {
        var securitySeverity: String
        var tags: [String]
        enum CodingKeys: String, CodingKey { case securitySeverity = "security-severity", tags }
    }
    struct Help: Decodable {
        var text: String
        var markdown: String
    }
    struct Text: Decodable { var text: String }
    struct Result: Decodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var partialFingerprints: [String: String]
        var suppressions: [Suppression]?
        var baselineState: String?
    }
    struct Location: Decodable {
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]
    }
    struct PhysicalLocation: Decodable {
        var artifactLocation: Artifact
        var region: Region?
    }
    struct Artifact: Decodable { var uri: String }
    struct Region: Decodable {
        var startLine: Int
        var startColumn: Int?
    }
    struct LogicalLocation: Decodable {
        var fullyQualifiedName: String
        var kind: String
    }
    struct Suppression: Decodable {
        var kind: String
        var justification: String
    }
    var version: String
    var runs: [Run]
}

@Suite struct SARIFReporterTests {
    /// Renders, validates against the SARIF 2.1.0 schema (where python3 jsonschema is available: without it,
    /// `matchesSchema` shows as skipped with the reason), and decodes.
    static func render(_ report: ScanReport = SampleReport.make()) throws -> SARIFLog.Run {
        let bytes = SARIFReporter().render(report)
        if JSONSchemaValidator.enabled {
            let errors = try JSONSchemaValidator.sarifErrors(bytes)
            #expect(errors == nil, "SARIF output is not valid against the 2.1.0 schema:\n\(errors ?? "")")
        }
        let log = try JSONDecoder().decode(SARIFLog.self, from: Data(bytes))
        #expect(log.version == "2.1.0")
        #expect(log.runs.count == 1)
        return log.runs[0]
    }

    @Test func matchesSnapshot() throws {
        try Snapshot.assertMatches(SARIFReporter().render(SampleReport.make()), named: "sarif-default.sarif")
    }

    @Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func matchesSchema() throws {
        let errors = try JSONSchemaValidator.sarifErrors(SARIFReporter().render(SampleReport.make()))
        #expect(errors == nil, "SARIF output is not valid against the 2.1.0 schema:\n\(errors ?? "")")
    }

    @Test func everyPolicyThatRanIsARuleWithSeverityHelpAndTags() throws {
        let run = try Self.render()
        #expect(run.tool.driver.name == "rampart")
        #expect(run.tool.driver.version == "0.9.0-test")
        let rules = run.tool.driver.rules
        #expect(rules.map(\.id) == ["aws-baseline/s3-encrypted", "aws-baseline/rds-public", "aws-baseline/iam-no-wildcard",
                                    "org-hardening/config-secrets-encrypted", "org-hardening/sso-enforced"])
        #expect(rules.map(\.properties.securitySeverity) == ["8.0", "9.5", "5.5", "8.0", "3.0"])
        #expect(rules[0].properties.tags == ["security", "aws-baseline", "CIS AWS 3.0 2.1.1"])
        #expect(rules[0].shortDescription.text == "S3 buckets are encrypted at rest.")
        #expect(rules[0].help.text == "Set `serverSideEncryptionConfiguration` with aws:kms.")
        #expect(rules[0].help.markdown.contains("| CIS AWS 3.0 | 2.1.1 |"))
    }

    @Test func resultsPointAtTheirRuleWithLevelFromOutcomeAndEnforcement() throws {
        let run = try Self.render()
        #expect(run.results.count == SampleReport.findings.count)
        for result in run.results {
            #expect(run.tool.driver.rules[result.ruleIndex].id == result.ruleId)
        }
        let levels = run.results.map { "\($0.ruleId) \($0.level)" }
        #expect(levels == [
            "aws-baseline/s3-encrypted error",          // mandatory violation (baselined)
            "aws-baseline/rds-public note",             // indeterminate
            "aws-baseline/iam-no-wildcard error",       // policy error
            "aws-baseline/rds-public warning",          // advisory violation
            "aws-baseline/s3-encrypted error",
            "aws-baseline/s3-encrypted error",          // exempted
            "org-hardening/config-secrets-encrypted error",
            "org-hardening/config-secrets-encrypted error",
            "org-hardening/sso-enforced note",
        ])
    }

    @Test func locationsAreLogicalURNsAndPhysicalWhereKnown() throws {
        let run = try Self.render()
        let located = run.results[4].locations[0]
        #expect(located.logicalLocations[0].fullyQualifiedName == "urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs")
        #expect(located.logicalLocations[0].kind == "resource")
        #expect(located.physicalLocation?.artifactLocation.uri == "infra/index.ts")
        #expect(located.physicalLocation?.region?.startLine == 12)
        #expect(located.physicalLocation?.region?.startColumn == 5)
        // No position of its own: the input file the stack came from (GitHub rejects results without one).
        let unlocated = run.results[3].locations[0]
        #expect(unlocated.physicalLocation?.artifactLocation.uri == "state/prod%20export.json")
        #expect(unlocated.physicalLocation?.region == nil)
        let stackLevel = run.results[6].locations[0]
        #expect(stackLevel.logicalLocations[0].fullyQualifiedName == "acme/web/prod")
        #expect(stackLevel.logicalLocations[0].kind == "stack")
        #expect(stackLevel.physicalLocation?.artifactLocation.uri == "Pulumi.prod.yaml")
        #expect(run.results.allSatisfy { $0.locations[0].physicalLocation != nil })
    }

    @Test func fingerprintsAreTheFindingsOwn() throws {
        let run = try Self.render()
        #expect(run.results.map { $0.partialFingerprints["rampartFingerprint/v1"] } == SampleReport.findings.map(\.fingerprint))
    }

    @Test func exemptedFindingsAreSuppressedAndBaselinedOnesUnchanged() throws {
        let run = try Self.render()
        let suppressed = run.results.filter { $0.suppressions != nil }
        #expect(suppressed.count == 1)
        #expect(suppressed.first?.suppressions?.first?.kind == "external")
        #expect(suppressed.first?.suppressions?.first?.justification == "receives only ALB access logs")
        #expect(run.results.filter { $0.baselineState == "unchanged" }.count == 1)
        #expect(run.results[0].baselineState == "unchanged")
    }

    @Test func findingWithoutAListedPolicyStillGetsARule() throws {
        var report = SampleReport.make()
        report.packs = []
        report.evaluations = []
        let run = try Self.render(report)
        #expect(run.tool.driver.rules.count == 5)
        for result in run.results { #expect(run.tool.driver.rules[result.ruleIndex].id == result.ruleId) }
    }

    @Test func emptyReportIsValid() throws {
        let report = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: [], packs: [], findings: [], evaluations: [],
                                exemptions: [], verdict: Verdict(failed: false, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
        #expect(try Self.render(report).results.isEmpty)
    }

    @Test func largeReportIsValid() throws {
        #expect(try Self.render(LargeReport.make(resources: 2_000)).results.count == 100)
    }

    @Test func pathsBecomeURIReferences() {
        #expect(SARIFReporter.uri("infra/index.ts") == "infra/index.ts")
        #expect(SARIFReporter.uri("/home/ci/my stack/Pulumi.yaml") == "file:///home/ci/my%20stack/Pulumi.yaml")
        #expect(SARIFReporter.uri("a:b#c?d%é") == "a%3Ab%23c%3Fd%25%C3%A9")
    }

    @Test func sameReportRendersSameBytes() {
        #expect(SARIFReporter().render(SampleReport.make()) == SARIFReporter().render(SampleReport.make()))
    }
}
