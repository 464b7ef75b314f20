import Foundation
import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

/// The customer-managed-key policies of `builtin:aws` agree on what a customer-managed key is: a key id, key ARN
/// or alias of the account's own, never empty and never an AWS-managed `alias/aws/<service>` key.
@Suite struct CustomerManagedKeyPolicyTests {
    /// policy name, resource type, properties with `KEY` where the key reference goes.
    static let subjects: [(policy: String, type: String, template: String)] = [
        ("rds-storage-customer-managed-key", "aws:rds/instance:Instance", #"{"storageEncrypted": true, "kmsKeyId": KEY}"#),
        ("rds-storage-customer-managed-key", "aws-native:rds:DbCluster", #"{"storageEncrypted": true, "kmsKeyId": KEY}"#),
        ("rds-performance-insights-customer-managed-key", "aws:rds/clusterInstance:ClusterInstance",
         #"{"performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": KEY}"#),
        ("s3-bucket-encryption-customer-managed-key", "aws:s3/bucket:Bucket",
         #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}}}"#),
        ("s3-bucket-encryption-customer-managed-key", "aws-native:s3:Bucket",
         #"{"bucketEncryption": {"serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}]}}"#),
        ("secretsmanager-secret-customer-managed-key", "aws:secretsmanager/secret:Secret", #"{"kmsKeyId": KEY}"#),
    ]

    static let customerKeys = ["\"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"", "\"alias/orders\"",
                               "\"key/1234abcd\"", "\"arn:aws:kms:us-west-2:123456789012:alias/orders\""]
    static let awsManagedKeys = ["\"\"", "\"  \"", "\"alias/aws/rds\"", "\"alias/aws/s3\"", "\"arn:aws:kms:us-west-2:123456789012:alias/aws/secretsmanager\"", "null"]

    func outcome(_ subject: (policy: String, type: String, template: String), key: String) throws -> PolicyExampleRunner.Result {
        let policy = try #require(BuiltinPacks.named("aws")?.policy(named: subject.policy))
        let example = PolicyExample(type: subject.type, properties: subject.template.replacingOccurrences(of: "KEY", with: key), expect: .pass)
        return try PolicyExampleRunner.run(policy, example: example)
    }

    @Test func customerKeysPass() throws {
        for subject in Self.subjects {
            for key in Self.customerKeys {
                let result = try outcome(subject, key: key)
                #expect(result.observed == .pass, "\(subject.policy) on \(subject.type) with \(key): \(result.outcomes)")
            }
        }
    }

    @Test func emptyMissingAndAWSManagedKeysAreViolations() throws {
        for subject in Self.subjects {
            for key in Self.awsManagedKeys {
                let result = try outcome(subject, key: key)
                #expect(result.observed == .violation, "\(subject.policy) on \(subject.type) with \(key): \(result.outcomes)")
            }
        }
    }

    @Test func unknownKeyInAPreviewIsIndeterminate() throws {
        let policy = try #require(BuiltinPacks.named("aws")?.policy(named: "secretsmanager-secret-customer-managed-key"))
        let example = PolicyExample(resources: [ExampleResource("s", type: "aws:secretsmanager/secret:Secret", properties: #"{"kmsKeyId": "\#(PulumiSignature.unknown)"}"#)],
                                    expect: .indeterminate, preview: true)
        let result = try PolicyExampleRunner.run(policy, example: example)
        #expect(result.observed == .indeterminate, "\(result.outcomes)")
    }
}
