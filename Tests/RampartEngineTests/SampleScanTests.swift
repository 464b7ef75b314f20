import Foundation
import Rampart
import RampartEngine
import RampartModel
import RampartPolicy
import Testing

/// Scans of the sample state exports (Tests/RampartInputsTests/Fixtures/samples, see its SOURCES.md).
@Suite struct SampleScanTests {
    static let exports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples/state/export").path

    static var exportFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: exports)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            .map { exports + "/" + $0 }
    }

    func scan(jobs: Int, packs: [String] = ["builtin:awsguard"]) throws -> ScanReport {
        try Pipeline().run(.inputs(Self.exportFiles),
                           options: RunOptions(packs: packs, failOn: .advisory, jobs: jobs, today: "2026-11-26",
                                               timestamp: "2026-11-26T00:00:00Z")).report
    }

    /// Checked by hand against the exports:
    /// - aws-lambda-s3-passphrase: bucket `docs` (provider 6.63, legacy Bucket) has `loggings: []` → s3-bucket-logging-enabled.
    /// - awsx-vpc-nlb-components: NLB `nginx-lb` has `accessLogs.enabled: false` → elb-logging-enabled, and
    ///   `enableDeletionProtection: false` → elb-deletion-protection-enabled; its listener is TCP, so
    ///   alb-http-to-https-redirection passes.
    /// - eks-cluster-kubernetes-components: KMS key `secrets-encryption-key` has `enableKeyRotation: false` →
    ///   cmk-backing-key-rotation-enabled. Its six security group rules target groups that declare no inline rules
    ///   (inputs have no ingress/egress), and its roles declare no managedPolicyArns/inlinePolicies: no conflicts.
    @Test func awsguardFindsExactlyTheViolationsCheckedByHand() throws {
        let report = try scan(jobs: 2)
        let found = report.findings.map { "\($0.policy) \($0.resource?.urn ?? "-")" }.sorted()
        #expect(found == [
            "cmk-backing-key-rotation-enabled urn:pulumi:test::encryption-provider::aws:kms/key:Key::secrets-encryption-key",
            "elb-deletion-protection-enabled urn:pulumi:test::ts-nlb-simple::awsx:lb:NetworkLoadBalancer$aws:lb/loadBalancer:LoadBalancer::nginx-lb",
            "elb-logging-enabled urn:pulumi:test::ts-nlb-simple::awsx:lb:NetworkLoadBalancer$aws:lb/loadBalancer:LoadBalancer::nginx-lb",
            "s3-bucket-logging-enabled urn:pulumi:dev::sample::aws:s3/bucket:Bucket::docs",
        ].sorted())
        #expect(report.findings.allSatisfy { $0.outcome == .violation && $0.enforcementLevel == .advisory })
        let counts = Dictionary(uniqueKeysWithValues: report.packs[0].policies.map { ($0.name, $0.counts) })
        #expect(counts["security-group-no-rule-management-conflicts"]?.pass == 6)
        #expect(counts["security-group-no-rule-management-conflicts"]?.violation == 0)
        #expect(counts["iam-role-no-policy-management-conflicts"]?.pass == 13)
        #expect(counts["alb-http-to-https-redirection"]?.pass == 1)
        #expect(report.verdict.failed)   // --fail-on advisory
    }

    @Test func jsonReportIsByteIdenticalWithOneAndFourWorkers() throws {
        let writer = ReportWriter()
        let one = try writer.render(try scan(jobs: 1), as: .json)
        let four = try writer.render(try scan(jobs: 4), as: .json)
        #expect(!one.isEmpty)
        #expect(one == four)
    }

    /// Enough resources that the evaluator really splits the work across workers (it chunks by 256).
    @Test func largeStackReportIsByteIdenticalWithOneAndFourWorkers() throws {
        let names = (0..<3000).map { "thing-\(($0 * 7919) % 3000)" }
        let stack = try TestPack.stack(names, ok: Set(names.filter { $0.hasSuffix("3") }))
        func render(jobs: Int) throws -> [UInt8] {
            let engine = TestPack.engine(exemptions: [Exemption(policy: "alpha", resources: ["*thing-1*"], reason: "r")], jobs: jobs)
            let report = engine.report([engine.evaluate(stack)], inputs: ["synthetic"], tool: ToolInfo(version: "t"), timestamp: "t")
            return try ReportWriter().render(report, as: .json)
        }
        let one = try render(jobs: 1)
        #expect(one == (try render(jobs: 4)))
        #expect(one.count > 100_000)
    }

    /// The fixture rampart.yaml makes awsguard mandatory for `*/*/prod` only and exempts the `docs` bucket.
    @Test func configMakesAWSGuardMandatoryForProdOnlyAndExemptsTheDocsBucket() throws {
        let config = ConfigValidationTests.fixtures + "/rampart.yaml"
        func scan(_ file: String, stack: String) throws -> ScanReport {
            try Pipeline().run(.inputs([Self.exports + "/" + file]),
                               options: RunOptions(configPath: config, stack: StackIdentity(parsing: stack), jobs: 1,
                                                   today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")).report
        }
        let prod = try scan("eks-cluster-kubernetes-components.json", stack: "acme/k8s/prod")
        #expect(prod.verdict.failed)
        #expect(prod.findings.map(\.enforcementLevel) == [.mandatory])
        #expect(!(try scan("eks-cluster-kubernetes-components.json", stack: "acme/k8s/dev")).verdict.failed)

        let docs = try scan("aws-lambda-s3-passphrase.json", stack: "acme/docs/prod")
        #expect(docs.findings.map(\.policy) == ["s3-bucket-logging-enabled"])
        #expect(docs.findings.first?.exemption?.reason == "the docs bucket holds only public documentation")
        #expect(!docs.verdict.failed)
    }
}
