import Foundation
import Rampart
import RampartBuiltins
import RampartPolicy
import Testing

/// Every built-in pack over every sample state (exports and DIY checkpoints). The AWS findings were reviewed
/// by hand; docs/policies.md records the review.
@Suite struct BuiltinPacksSampleScanTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples/state").path

    static var stateFiles: [String] {
        ["export", "diy"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: samples + "/" + folder)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { samples + "/" + folder + "/" + $0 }
        }
    }

    func scanWithEveryBuiltinPack() throws -> ScanReport {
        try Pipeline().run(.inputs(Self.stateFiles),
                           options: RunOptions(packs: BuiltinPacks.all.map { "builtin:\($0.name)" }, failOn: .none, jobs: 2,
                                               today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")).report
    }

    @Test func everyBuiltinPolicyEvaluatesEverySampleWithoutError() throws {
        let report = try scanWithEveryBuiltinPack()
        #expect(Self.stateFiles.count == 14)
        #expect(report.packs.map(\.name) == BuiltinPacks.all.map(\.name))
        for pack in report.packs {
            for policy in pack.policies { #expect(policy.counts.error == 0, "\(pack.name)/\(policy.name) errored") }
        }
    }

    /// Reviewed by hand (docs/policies.md, "Review of findings on the sample states"): every one is a true
    /// finding for the configuration in the sample. The v3 and v4 checkpoints hold the same stack, so their
    /// findings appear twice in the report and once here.
    @Test func awsFindingsAreTheReviewedOnes() throws {
        let report = try scanWithEveryBuiltinPack()
        let aws = report.findings.filter { $0.pack == "aws" || $0.pack == "awsguard" }
        let rows = Set(aws.map { "\($0.pack)/\($0.policy) \($0.outcome.rawValue) \($0.stack) \($0.resource?.name ?? "-")" }).sorted()
        #expect(rows == [
            "aws/apigateway-stage-access-logging violation todo/foo todo",
            "aws/cloudwatch-log-group-retention violation countdown/foo countDown_watcher-func-logs",
            "aws/cloudwatch-log-group-retention violation countdown/foo heartbeat-func-logs",
            "aws/cloudwatch-log-group-retention violation todo/foo todo035b5d8f-func-logs",
            "aws/cloudwatch-log-group-retention violation todo/foo todo67876f56-func-logs",
            "aws/cloudwatch-log-group-retention violation todo/foo todoc57917fa-func-logs",
            "aws/dynamodb-point-in-time-recovery violation todo/foo todo",
            "aws/ec2-imdsv2-required violation encryption-provider/test encryption-provider-launchTemplate",
            "aws/ec2-launch-template-no-public-ip violation encryption-provider/test encryption-provider-launchTemplate",
            "aws/eks-control-plane-logging violation encryption-provider/test encryption-provider-eksCluster",
            "aws/eks-endpoint-not-public violation encryption-provider/test encryption-provider-eksCluster",
            "aws/iam-role-trust-no-wildcard-principal indeterminate countdown/foo countDown_watcher-iamrole",
            "aws/kms-key-rotation-enabled violation encryption-provider/test secrets-encryption-key",
            "aws/lambda-function-description violation countdown/foo countDown_watcher",
            "aws/lambda-function-description violation countdown/foo heartbeat",
            "aws/lambda-function-description violation countdown/foo pulumi-foo-log-collector",
            "aws/lambda-function-description violation sample/dev docsHandler",
            "aws/lambda-function-description violation todo/foo pulumi-foo-log-collector",
            "aws/lambda-function-description violation todo/foo todo035b5d8f",
            "aws/lambda-function-description violation todo/foo todo67876f56",
            "aws/lambda-function-description violation todo/foo todoc57917fa",
            "aws/lambda-permission-restricted violation countdown/foo pulumi-foo-log-collector",
            "aws/lambda-permission-restricted violation todo/foo pulumi-foo-log-collector",
            "aws/lambda-runtime-supported violation countdown/foo countDown_watcher",
            "aws/lambda-runtime-supported violation countdown/foo heartbeat",
            "aws/lambda-runtime-supported violation countdown/foo pulumi-foo-log-collector",
            "aws/lambda-runtime-supported violation todo/foo pulumi-foo-log-collector",
            "aws/lambda-runtime-supported violation todo/foo todo035b5d8f",
            "aws/lambda-runtime-supported violation todo/foo todo67876f56",
            "aws/lambda-runtime-supported violation todo/foo todoc57917fa",
            "aws/lambda-tracing-active violation countdown/foo countDown_watcher",
            "aws/lambda-tracing-active violation countdown/foo heartbeat",
            "aws/lambda-tracing-active violation countdown/foo pulumi-foo-log-collector",
            "aws/lambda-tracing-active violation sample/dev docsHandler",
            "aws/lambda-tracing-active violation todo/foo pulumi-foo-log-collector",
            "aws/lambda-tracing-active violation todo/foo todo035b5d8f",
            "aws/lambda-tracing-active violation todo/foo todo67876f56",
            "aws/lambda-tracing-active violation todo/foo todoc57917fa",
            "aws/s3-bucket-access-logging-enabled violation sample/dev docs",
            "aws/s3-bucket-access-logging-enabled violation todo/foo todo",
            "aws/s3-bucket-encryption-enabled violation todo/foo todo",
            "aws/s3-bucket-public-access-block violation sample/dev docs",
            "aws/s3-bucket-public-access-block violation todo/foo todo",
            "aws/s3-bucket-tls-only violation sample/dev docs",
            "aws/s3-bucket-tls-only violation todo/foo todo",
            "aws/s3-bucket-versioning-enabled violation sample/dev docs",
            "aws/s3-bucket-versioning-enabled violation todo/foo todo",
            "aws/security-group-described violation encryption-provider/test encryption-provider-eksClusterSecurityGroup",
            "aws/security-group-described violation encryption-provider/test encryption-provider-nodeSecurityGroup",
            "aws/sns-topic-encrypted violation countdown/foo countDown",
            "aws/sns-topic-encrypted violation countdown/foo unhandled-error-topic",
            "aws/sns-topic-encrypted violation todo/foo unhandled-error-topic",
            "aws/subnet-no-auto-public-ip violation ts-nlb-simple/test test-vpc-public-1",
            "aws/subnet-no-auto-public-ip violation ts-nlb-simple/test test-vpc-public-2",
            "aws/subnet-no-auto-public-ip violation ts-nlb-simple/test test-vpc-public-3",
            "aws/vpc-flow-logs-enabled violation ts-nlb-simple/test test-vpc",
            "awsguard/apigateway-stage-cached violation todo/foo todo",
            "awsguard/cmk-backing-key-rotation-enabled violation encryption-provider/test secrets-encryption-key",
            "awsguard/elb-deletion-protection-enabled violation ts-nlb-simple/test nginx-lb",
            "awsguard/elb-logging-enabled violation ts-nlb-simple/test nginx-lb",
            "awsguard/s3-bucket-logging-enabled violation sample/dev docs",
            "awsguard/s3-bucket-logging-enabled violation todo/foo todo",
        ])
        #expect(aws.count == 76)
    }
}
