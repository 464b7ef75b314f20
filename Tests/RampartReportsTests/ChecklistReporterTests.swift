import Foundation
import Rampart
import RampartPolicy
import RampartReports
import Testing

@Suite struct ChecklistReporterTests {
    static let snapshotFile = Paths.repository + "/Samples/org-snapshot.json"

    /// Paths in messages are made independent of the checkout.
    static func portable(_ bytes: [UInt8]) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: Paths.repository + "/", with: "").utf8)
    }

    static func audit(inputs: [String] = [], organization: String? = nil, projects: [String] = [], packs: [String] = [],
                      configPath: String? = nil) throws -> ScanReport {
        let options = RunOptions(packs: packs, configPath: configPath, jobs: 1, today: "2026-05-01", timestamp: "2026-05-01T12:00:00Z")
        return try Pipeline().run(.audit(inputs: inputs, projects: projects, organization: organization), options: options).report
    }

    @Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func sampleSnapshotValidatesAgainstItsSchema() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.snapshotFile)))
        let errors = try JSONSchemaValidator.errors(bytes, schema: Paths.repository + "/docs/org-snapshot.schema.json")
        #expect(errors == nil, "Samples/org-snapshot.json does not match docs/org-snapshot.schema.json:\n\(errors ?? "")")
    }

    /// The sample snapshot alone: organisation items are decided, per-stack items are not evaluable.
    @Test func auditsTheSampleSnapshot() throws {
        let report = try Self.audit(organization: Self.snapshotFile)
        try Snapshot.assertMatches(Self.portable(ChecklistReporter(style: .text).render(report)), named: "audit-org-snapshot.txt")
        try Snapshot.assertMatches(Self.portable(ChecklistReporter(style: .markdown).render(report)), named: "audit-org-snapshot.md")
    }

    /// The sample DIY backend plus every sample project, with the sample snapshot; the table was checked by hand
    /// (see the report of issue 7): b64 and passphrase state fail managed-state-backend, the plaintext config values
    /// of three projects fail config-secrets-encrypted, openpipe's prod stack is in no preventative policy group.
    @Test func auditsTheSampleBackendAndConfigs() throws {
        let report = try Self.sampleAudit()
        try Snapshot.assertMatches(Self.portable(ChecklistReporter(style: .markdown).render(report)), named: "audit-samples.md")
        let rows = Checklist.items(report).flatMap(\.items).map { "\($0.policy): \($0.status.rawValue)" }
        #expect(rows == [
            "sso-enforced: pass", "dynamic-provider-credentials: not evaluable", "config-secrets-encrypted: violation",
            "mandatory-policy-enforcement: violation", "managed-state-backend: violation",
            // No s3:// or gs:// backend was audited and no sample stack declares a state bucket.
            "state-bucket-encrypted: not applicable", "state-bucket-versioned: not applicable",
            "state-bucket-public-access-blocked: not applicable", "state-bucket-access-logging: not applicable",
            "least-privilege-rbac: violation",
            "esc-for-secrets: violation", "revision-history-reviewed: pass", "token-rotation: violation", "audit-logging: pass",
            "plaintext-secrets-in-config: violation", "plaintext-secrets-in-state: pass", "static-cloud-keys-in-ci: not evaluable",
            "broad-org-admin: pass", "unprotected-stack-reference: not applicable", "passphrase-secrets-provider: pass",
        ])
    }

    @Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func auditJSONReportMatchesTheReportSchema() throws {
        let errors = try JSONSchemaValidator.errors(JSONReporter().render(Self.sampleAudit()), schema: Paths.reportSchema)
        #expect(errors == nil, "audit json report does not match docs/report.schema.json:\n\(errors ?? "")")
    }

    /// The sample DIY backend plus every sample project, with the sample snapshot.
    static func sampleAudit() throws -> ScanReport {
        let samples = Paths.samples
        let projects = try FileManager.default.contentsOfDirectory(atPath: samples + "/config").sorted().map { samples + "/config/" + $0 }
        return try audit(inputs: [samples + "/state/diy"], organization: snapshotFile, projects: projects)
    }

    @Test func withoutEvidenceEveryItemIsNotEvaluableNeverPass() throws {
        let empty = try Paths.temporaryFile(Array("{}".utf8), name: "org.json")
        let report = try Self.audit(organization: empty)
        // The state bucket's items apply only when a bucket backend was read: without one they are not applicable.
        let items = Checklist.items(report).flatMap(\.items)
        let statuses = Set(items.filter { !$0.policy.hasPrefix("state-bucket-") }.map(\.status))
        #expect(statuses == [ChecklistItem.Status.notEvaluable])
        #expect(Set(items.filter { $0.policy.hasPrefix("state-bucket-") }.map(\.status)) == [.notApplicable])
    }
}

@Suite struct AuditorInputTests {
    @Test func aMalformedSnapshotStopsTheAuditWithItsJSONPath() throws {
        let bad = try Paths.temporaryFile(Array(#"{"sso": {"enforced": "yes"}}"#.utf8), name: "org.json")
        #expect(throws: RampartError.self) { try ChecklistReporterTests.audit(organization: bad) }
        do { _ = try ChecklistReporterTests.audit(organization: bad) } catch let error as RampartError {
            #expect(error.description.hasSuffix("org.json: at $.sso.enforced: expected true or false, found a string"))
        }
    }

    @Test func extraPacksRunBesideTheChecklist() throws {
        let report = try ChecklistReporterTests.audit(organization: ChecklistReporterTests.snapshotFile, packs: ["builtin:aws"])
        #expect(report.packs.map(\.name) == ["aws", "hardening", "pitfalls"])
    }

    /// rampart.yaml's effective levels for the stack decide mandatory-policy-enforcement, even for packs the audit
    /// itself does not run.
    @Test func rampartYAMLMandatoryLevelsSatisfyTheEnforcementItem() throws {
        let config = try Paths.temporaryFile(Array("packs: [builtin:aws]\nstacks:\n  \"*/*/prod\":\n    aws: { all: mandatory }\n".utf8), name: "rampart.yaml")
        let project = Paths.samples + "/config/openpipe-infra"
        func status(_ configPath: String?) throws -> ChecklistItem.Status? {
            let report = try ChecklistReporterTests.audit(projects: [project], configPath: configPath)
            return Checklist.items(report).flatMap(\.items).first { $0.policy == "mandatory-policy-enforcement" }?.status
        }
        #expect(try status(config) == .pass)
        #expect(try status(nil) == .notEvaluable)
    }
}
