import RampartJSON
import RampartModel
import RampartPolicy
@testable import RampartReports
import Testing

/// Findings of a few shared origins, as the engine makes them, in runs of three broken by a new origin, level or
/// outcome at other strides; some not tied to a resource, some with a location, a proposed fix or an exemption. For
/// the reporters that record what a policy's findings repeat (`JSONWriter.RecordedMembers`).
enum SharedOriginReport {
    static let encrypted = Finding.Origin(stack: "acme/web/prod", pack: "aws", policy: "s3-encrypted", severity: .high,
                                          remediation: "Set \"serverSideEncryption\".\nThen redeploy.")
    static let logged = Finding.Origin(stack: "acme/web/prod", pack: "aws", policy: "s3-logged", severity: .low, remediation: nil)
    /// The same policy on another stack: the same pack, policy and remediation, another `stack`.
    static let encryptedDev = Finding.Origin(stack: "acme/web/dev", pack: "aws", policy: "s3-encrypted", severity: .high,
                                             remediation: "Set \"serverSideEncryption\".\nThen redeploy.")

    static func make() -> ScanReport {
        let origins = [encrypted, logged, encrypted, encryptedDev]
        let findings: [Finding] = (0..<120).map { (i: Int) -> Finding in
            let origin = origins[(i / 3) % origins.count]
            let level: EnforcementLevel = (i / 7) % 2 == 0 ? .advisory : .mandatory
            let outcome: OutcomeKind = [.violation, .violation, .indeterminate, .error][(i / 11) % 4]
            let resource = i % 13 == 0 ? nil : ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::b\(i)",
                                                          type: "aws:s3/bucket:Bucket", name: "b\(i)")
            return Finding(origin: origin, resource: resource, enforcementLevel: level, outcome: outcome,
                           message: "Bucket b\(i) fails \(origin.policy).", fingerprint: FingerprintLanes(high: UInt64(i), low: ~UInt64(i)),
                           proposedFix: i % 19 == 0 ? "Enable it on b\(i)." : nil,
                           location: i % 5 == 0 ? RampartModel.SourceLocation(file: "index.ts", line: i, column: 3) : nil,
                           exemption: i % 17 == 0 ? ExemptionRecord(policy: "aws/\(origin.policy)", reason: "accepted") : nil)
        }
        // Each stack's file is where SARIF points a finding without a position of its own.
        let stacks = [StackSummary(name: "acme/web/prod", source: "prod.json", kind: "state-export", resourceCount: 0, resources: []),
                      StackSummary(name: "acme/web/dev", source: "dev.json", kind: "state-export", resourceCount: 0, resources: [])]
        return ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: ["prod.json", "dev.json"], stacks: stacks, packs: [],
                          findings: findings, evaluations: [], exemptions: [],
                          verdict: Verdict(failed: true, failOn: .mandatory), timestamp: "2026-12-07T10:30:00Z")
    }
}

/// The JSON report writes the members a policy's findings share (stack, pack, policy, level, severity, outcome,
/// remediation) once and copies them into each finding: every finding must still carry its own, in the documented
/// order, whether findings of one policy come in runs or alternate, on one thread or in batches on several.
@Suite struct JSONSharedMembersTests {
    @Test func everyFindingCarriesItsOwnPolicysMembersInOrder() throws {
        let report = SharedOriginReport.make()
        let document = try JSONDocument.parse(JSONReporter().render(report).text)
        let written = Array(try #require(document.root["findings"]).elements)
        #expect(written.count == report.findings.count)
        for (finding, object) in zip(report.findings, written) {
            var expected: [(String, String)] = [("stack", finding.stack)]
            if let r = finding.resource { expected += [("urn", r.urn), ("type", r.type), ("name", r.name)] }
            expected += [("pack", finding.pack), ("policy", finding.policy), ("enforcementLevel", finding.enforcementLevel.rawValue),
                         ("severity", finding.severity.rawValue), ("outcome", finding.outcome.rawValue), ("message", finding.message)]
            if let remediation = finding.remediation { expected.append(("remediation", remediation)) }
            let members = object.members.map { ($0.key.string ?? "", $0.value) }
            let names = members.map(\.0)
            #expect(Array(names.prefix(expected.count)) == expected.map(\.0), "\(finding.message)")
            for ((name, value), (_, node)) in zip(expected, members) {
                #expect(node.string == value, "\(name) of \(finding.message)")
            }
            #expect(object["proposedFix"]?.string == finding.proposedFix)
            #expect(object["fingerprint"]?.string == finding.fingerprint)
            #expect((object["location"] != nil) == (finding.location != nil))
            #expect((object["exempted"] != nil) == (finding.exemption != nil))
        }
    }

    @Test(arguments: [(1, 1_000), (2, 4), (2, 5), (3, 1)])
    func batchesOnSeveralThreadsWriteWhatOneThreadWrites(_ workers: Int, _ batch: Int) {
        let report = SharedOriginReport.make()
        let expected = JSONReporter().render(report)
        // Compared as one Boolean: a failed comparison of two long arrays prints them whole.
        let same = ParallelRenderingTests.rendered(report, workers: workers, batch: batch) == expected
        #expect(same)
    }
}

/// The SARIF report records a policy's `properties`, rule id and index, and a stack's file for findings without a
/// position, once, and copies them into each result: every result must still carry its own.
@Suite struct SARIFSharedMembersTests {
    @Test func everyResultCarriesItsOwnPropertiesRuleAndFile() throws {
        let report = SharedOriginReport.make()
        let document = try JSONDocument.parse(SARIFReporter().render(report).text)
        let run = try #require(document.root["runs"]?[0])
        let results = Array(try #require(run["results"]).elements)
        let rules = Array(try #require(run["tool"]?["driver"]?["rules"]).elements)
        #expect(results.count == report.findings.count)
        for (finding, result) in zip(report.findings, results) {
            var expected: [(String, String)] = [("enforcementLevel", finding.enforcementLevel.rawValue),
                                                ("outcome", finding.outcome.rawValue)]
            if let fix = finding.proposedFix { expected.append(("proposedFix", fix)) }
            if let remediation = finding.remediation { expected.append(("remediation", remediation)) }
            expected += [("severity", finding.severity.rawValue), ("stack", finding.stack)]
            let properties = try #require(result["properties"]).members.map { ($0.key.string ?? "", $0.value.string) }
            #expect(properties.map(\.0) == expected.map(\.0), "\(finding.message)")
            #expect(properties.map(\.1) == expected.map { Optional($0.1) }, "\(finding.message)")
            let ruleID = "\(finding.pack)/\(finding.policy)"
            #expect(result["ruleId"]?.string == ruleID)
            let index = try #require(result["ruleIndex"]?.number)
            #expect(rules[Int(index)]["id"]?.string == ruleID)
            let uri = result["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"]?.string
            #expect(uri == (finding.location != nil ? "index.ts" : finding.stack == "acme/web/dev" ? "dev.json" : "prod.json"),
                    "\(finding.message)")
        }
    }

    @Test(arguments: [(1, 1_000), (2, 4), (2, 5), (3, 1)])
    func batchesOnSeveralThreadsWriteWhatOneThreadWrites(_ workers: Int, _ batch: Int) {
        let report = SharedOriginReport.make()
        let expected = SARIFReporter().render(report)
        let same = ParallelRenderingTests.rendered(report, workers: workers, batch: batch, by: SARIFReporter()) == expected
        #expect(same)
    }
}
