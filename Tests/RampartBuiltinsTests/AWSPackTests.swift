import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

@Suite struct AWSPackTests {
    let pack = BuiltinPacks.named("aws")

    @Test func shipsAtLeastSixtyPoliciesWithCISReferencesWhereControlsMap() throws {
        let pack = try #require(pack)
        #expect(pack.policies.count >= 60)
        #expect(pack.origin == "builtin:aws")
        let controls = Set(pack.policies.flatMap { $0.descriptor.frameworks.filter { $0.name.hasPrefix("CIS AWS") }.compactMap(\.control) })
        for control in ["1.8", "1.9", "1.15", "1.16", "2.1.1", "2.1.2", "2.1.5", "2.2.1", "2.3.1", "2.3.3", "3.1", "3.2", "3.4", "3.7", "3.8", "3.9", "5.1", "5.2", "5.3", "5.4", "5.6"] {
            #expect(controls.contains(control), "no policy maps CIS \(control)")
        }
    }

    /// Policies that join resources must show that a preview, where ids are unknown, never yields a violation.
    @Test func everyJoinPolicyHasAPreviewExampleThatIsNotAViolation() throws {
        let pack = try #require(pack)
        let joins = ["s3-bucket-public-access-block", "s3-bucket-encryption-enabled", "s3-bucket-versioning-enabled", "s3-bucket-access-logging-enabled",
                     "s3-bucket-no-public-acl", "s3-bucket-tls-only", "s3-bucket-policy-not-public", "security-group-no-public-ssh",
                     "security-group-no-public-rdp", "security-group-no-public-all-ports", "security-group-no-public-database-ports",
                     "vpc-flow-logs-enabled", "rds-not-in-public-subnet", "ec2-instance-not-publicly-addressed", "secretsmanager-secret-rotation",
                     "s3-bucket-replication-enabled", "s3-bucket-key-enabled", "s3-bucket-encryption-customer-managed-key", "lb-listener-no-plain-http"]
        for name in joins {
            let policy = try #require(pack.policy(named: name), "\(name) missing")
            let previews = policy.descriptor.examples.filter(\.preview)
            #expect(!previews.isEmpty, "\(name) has no preview example")
            #expect(previews.allSatisfy { $0.expectation != .violation && $0.resources.count > 1 }, "\(name) has a preview example expecting a violation")
        }
    }

    @Test func previewExamplesRunOnInputsWithoutIds() throws {
        let example = PolicyExample(resources: [ExampleResource("b", type: "aws:s3/bucketV2:BucketV2", properties: "{}")], expect: .pass, preview: true)
        let stack = try PolicyExampleRunner.makeStack(example)
        #expect(stack.propertySource == .inputs)
        #expect(stack.kind == .previewDigest)
        #expect(stack.graph.resources[0].id == nil)
        #expect(try PolicyExampleRunner.makeStack(PolicyExample(type: "t:m:T", properties: "{}", expect: .pass)).graph.resources[0].id == "example-id")
    }

    /// The same bucket in the three S3 shapes of provider v5/v6 (legacy and BucketV2 + side resources) and v7.
    @Test func bucketEncryptionIsReadFromEveryProviderShape() throws {
        let pack = try #require(pack)
        let policy = try #require(pack.policy(named: "s3-bucket-encryption-enabled"))
        let shapes: [PolicyExample] = [
            PolicyExample(type: "aws:s3/bucket:Bucket", properties: #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, expect: .pass),
            PolicyExample(type: "aws:s3/bucketV2:BucketV2", properties: #"{"serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "AES256"}]}]}]}"#, expect: .pass),
            PolicyExample(resources: [
                ExampleResource("b", type: "aws:s3/bucket:Bucket", properties: #"{"bucket": "b-1"}"#),
                ExampleResource("sse", type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                                properties: #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}"#),
            ], expect: .pass),
            PolicyExample(resources: [
                ExampleResource("b", type: "aws:s3/bucket:Bucket", properties: #"{"bucket": "b-1"}"#),
                ExampleResource("sse", type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                                properties: #"{"bucket": "other", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}"#),
            ], expect: .violation),
        ]
        for shape in shapes {
            let result = try PolicyExampleRunner.run(policy, example: shape)
            #expect(result.passed, "\(shape.resources.map(\.type)) \(shape.type): \(result.outcomes)")
        }
    }
}
