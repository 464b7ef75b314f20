import Foundation
import Rampart
import RampartModel
import RampartPolicy
import RampartReports
import Testing

@Suite struct LintTests {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/lint-project").path
    /// Plaintext and ciphertext values in the fixture that must never reach any output.
    static let secretValues = ["AKIARAMPARTFIXTURE01", "Correct-Horse-Battery-9", "Tr0ub4dor-Zebra-41", "Zm9vYmFy", "Y2lwaGVydGV4dA",
                               "c2FsdHNhbHQ", "Y2hlY2tjaGVjaw"]

    func lint(_ directory: String, stack: StackIdentity? = nil, packs: [String] = []) throws -> ScanReport {
        let options = RunOptions(packs: packs, stack: stack, jobs: 1, today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")
        return try Pipeline().run(.project(directory), options: options).report
    }

    /// `stack pack/policy file:line:column` per finding.
    func summary(_ report: ScanReport) -> [String] {
        report.findings.map { f in
            let at = f.location.map { "\($0.file.split(separator: "/").last!):\($0.line ?? 0):\($0.column ?? 0)" } ?? "-"
            return "\(f.stack) \(f.pack)/\(f.policy) \(f.outcome.rawValue) \(at)"
        }
    }

    @Test func findsEveryProblemWithLocationsAndFails() throws {
        let report = try lint(Self.project)
        #expect(report.stacks.map(\.name) == ["webshop/dev", "webshop/prod"])
        #expect(summary(report) == [
            "webshop/dev hardening/dynamic-provider-credentials violation deploy.yml:24:26",
            "webshop/dev hardening/dynamic-provider-credentials violation deploy.yml:25:30",
            "webshop/dev hardening/esc-for-secrets violation Pulumi.dev.yaml:4:3",
            "webshop/dev hardening/managed-state-backend indeterminate -",
            "webshop/dev pitfalls/static-cloud-keys-in-ci violation deploy.yml:24:26",
            "webshop/dev pitfalls/static-cloud-keys-in-ci violation deploy.yml:25:30",
            "webshop/prod hardening/config-secrets-encrypted violation Pulumi.prod.yaml:6:18",
            "webshop/prod hardening/config-secrets-encrypted violation Pulumi.prod.yaml:9:26",
            "webshop/prod hardening/config-secrets-encrypted violation Pulumi.prod.yaml:14:19",
            "webshop/prod hardening/dynamic-provider-credentials violation Pulumi.prod.yaml:6:18",
            "webshop/prod hardening/dynamic-provider-credentials violation Pulumi.prod.yaml:7:3",
            "webshop/prod hardening/esc-for-secrets violation Pulumi.prod.yaml:7:3",
            "webshop/prod hardening/managed-state-backend violation Pulumi.prod.yaml:3:17",
            "webshop/prod pitfalls/passphrase-secrets-provider violation Pulumi.prod.yaml:3:17",
            "webshop/prod pitfalls/plaintext-secrets-in-config violation Pulumi.prod.yaml:6:18",
            "webshop/prod pitfalls/plaintext-secrets-in-config violation Pulumi.prod.yaml:9:26",
            "webshop/prod pitfalls/plaintext-secrets-in-config violation Pulumi.prod.yaml:14:19",
        ])
        #expect(report.verdict.failed && report.verdict.exitCode == 1)
        // Workflows are shared by both stacks and reported once, under the first.
        let ci = report.packs.flatMap(\.policies).first { $0.name == "static-cloud-keys-in-ci" }
        #expect(ci?.counts.violation == 2 && ci?.counts.notApplicable == 1)
        // plaintext-secrets-in-state reads state only: lint does not run it.
        #expect(!report.packs.flatMap(\.policies).map(\.name).contains("plaintext-secrets-in-state"))
    }

    @Test func restrictsToOneStackAndPassesWhenOnlyAdvisoryRemains() throws {
        let report = try lint(Self.project, stack: StackIdentity(organization: "acme", project: nil, stack: "dev"),
                              packs: ["builtin:hardening"])
        #expect(report.stacks.map(\.name) == ["acme/webshop/dev"])
        #expect(report.verdict.exitCode == 0)
        #expect(report.findings.allSatisfy { $0.enforcementLevel == .advisory })
    }

    @Test func findingsHaveDistinctFingerprints() throws {
        let report = try lint(Self.project)
        #expect(Set(report.findings.map(\.fingerprint)).count == report.findings.count)
    }

    @Test func noSecretValueReachesAnyReport() throws {
        let report = try lint(Self.project)
        for format in [ReportFormat.text, .json] {
            let text = String(decoding: try ReportWriter().render(report, as: format), as: UTF8.self)
            #expect(text.contains("Pulumi.prod.yaml"))
            for secret in Self.secretValues { #expect(!text.contains(secret), "\(format) report holds a secret value") }
        }
    }

    @Test func reportsMissingEvidenceAsIndeterminate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-lint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("name: tiny\nruntime: go\n".utf8).write(to: URL(fileURLWithPath: root + "/Pulumi.yaml"))
        let report = try lint(root)
        #expect(report.stacks.map(\.name) == ["tiny/(no stack file)"])
        let ci = report.findings.first { $0.policy == "static-cloud-keys-in-ci" }
        #expect(ci?.outcome == .indeterminate && ci?.message == "not evaluable: no CI workflows found under \(root)")
        #expect(report.verdict.exitCode == 0)
    }

    @Test func badYAMLIsARunErrorWithItsPosition() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-lint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("name: tiny\n".utf8).write(to: URL(fileURLWithPath: root + "/Pulumi.yaml"))
        try Data("config:\n  a: 1\n  a: 2\n".utf8).write(to: URL(fileURLWithPath: root + "/Pulumi.dev.yaml"))
        do {
            _ = try lint(root)
            Issue.record("expected an error")
        } catch let error as RampartError {
            #expect(error.description == "\(root)/Pulumi.dev.yaml:2:3: duplicate key 'a' in a mapping; expected each key once")
        }
    }

    @Test func emptyDirectoryIsARunError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-lint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(throws: RampartError.self) { try lint(root) }
    }
}
