import RampartJSON
import RampartModel
import RampartPolicy
@testable import RampartReports
import Testing

/// The JSON report writes the members a policy's findings share (stack, pack, policy, level, severity, outcome,
/// remediation) once and copies them into each finding: every finding must still carry its own, in the documented
/// order, whether findings of one policy come in runs or alternate, on one thread or in batches on several.
@Suite struct JSONSharedMembersTests {
    static let encrypted = Finding.Origin(stack: "acme/web/prod", pack: "aws", policy: "s3-encrypted", severity: .high,
                                          remediation: "Set \"serverSideEncryption\".\nThen redeploy.")
    static let logged = Finding.Origin(stack: "acme/web/prod", pack: "aws", policy: "s3-logged", severity: .low, remediation: nil)
    /// The same policy on another stack: the same pack, policy and remediation, another `stack`.
    static let encryptedDev = Finding.Origin(stack: "acme/web/dev", pack: "aws", policy: "s3-encrypted", severity: .high,
                                             remediation: "Set \"serverSideEncryption\".\nThen redeploy.")

    /// Runs of three findings of one origin, broken by a new origin, level or outcome at other strides, with some
    /// findings not tied to a resource and some with a location or an exemption.
    static func report() -> ScanReport {
        let origins = [encrypted, logged, encrypted, encryptedDev]
        let findings: [Finding] = (0..<120).map { (i: Int) -> Finding in
            let origin = origins[(i / 3) % origins.count]
            let level: EnforcementLevel = (i / 7) % 2 == 0 ? .advisory : .mandatory
            let outcome: OutcomeKind = [.violation, .violation, .indeterminate, .error][(i / 11) % 4]
            let resource = i % 13 == 0 ? nil : ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::b\(i)",
                                                          type: "aws:s3/bucket:Bucket", name: "b\(i)")
            return Finding(origin: origin, resource: resource, enforcementLevel: level, outcome: outcome,
                           message: "Bucket b\(i) fails \(origin.policy).", fingerprint: FingerprintLanes(high: UInt64(i), low: ~UInt64(i)),
                           location: i % 5 == 0 ? RampartModel.SourceLocation(file: "index.ts", line: i, column: 3) : nil,
                           exemption: i % 17 == 0 ? ExemptionRecord(policy: "aws/\(origin.policy)", reason: "accepted") : nil)
        }
        return ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: ["state.json"], stacks: [], packs: [],
                          findings: findings, evaluations: [], exemptions: [],
                          verdict: Verdict(failed: true, failOn: .mandatory), timestamp: "2026-12-07T10:30:00Z")
    }

    @Test func everyFindingCarriesItsOwnPolicysMembersInOrder() throws {
        let report = Self.report()
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
            #expect(object["fingerprint"]?.string == finding.fingerprint)
            #expect((object["location"] != nil) == (finding.location != nil))
            #expect((object["exempted"] != nil) == (finding.exemption != nil))
        }
    }

    @Test(arguments: [(1, 1_000), (2, 4), (2, 5), (3, 1)])
    func batchesOnSeveralThreadsWriteWhatOneThreadWrites(_ workers: Int, _ batch: Int) {
        let report = Self.report()
        let expected = JSONReporter().render(report)
        // Compared as one Boolean: a failed comparison of two long arrays prints them whole.
        let same = ParallelRenderingTests.rendered(report, workers: workers, batch: batch) == expected
        #expect(same)
    }
}
