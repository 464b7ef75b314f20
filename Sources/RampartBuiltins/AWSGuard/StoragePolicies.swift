import RampartPolicy

extension AWSGuard {
    static var storagePolicies: [any Policy] { [s3Logging, efsEncrypted, searchEncrypted, searchInVPC, keyRotation] }

    static let s3Logging = SwiftResourcePolicy(
        awsguard("s3-bucket-logging-enabled", "S3 buckets have server access logging enabled.", severity: .medium,
                 frameworks: [nist("AU-12")],
                 rationale: "Server access logs record every request made to the bucket; without them data access cannot be audited.",
                 remediation: "Enable logging on the bucket (`loggings: [{ targetBucket }]` before provider v7, `logging: { targetBucket }` from v7) or add an `aws:s3/bucketLogging:BucketLogging` (`BucketLoggingV2`) for it.",
                 examples: [
                     example("aws:s3/bucket:Bucket", #"{"bucket": "b", "loggings": [{"targetBucket": "logs"}]}"#, .pass, "legacy v5/v6 shape"),
                     example("aws:s3/bucket:Bucket", #"{"bucket": "b", "loggings": []}"#, .violation),
                     example("aws:s3/bucket:Bucket", #"{"bucket": "b", "logging": {"targetBucket": "logs"}}"#, .pass, "v7 shape"),
                     example("aws:s3/bucket:Bucket", #"{"bucket": "b", "logging": null}"#, .violation),
                     PolicyExample(resources: [
                         ExampleResource("b", type: "aws:s3/bucketV2:BucketV2", properties: #"{"bucket": "b-123"}"#),
                         ExampleResource("b-logging", type: "aws:s3/bucketLoggingV2:BucketLoggingV2",
                                         properties: #"{"bucket": "b-123", "targetBucket": "logs"}"#,
                                         propertyDependencies: ["bucket": ["b"]]),
                     ], expect: .pass, note: "BucketV2 with a separate BucketLoggingV2"),
                     example("aws:s3/bucketV2:BucketV2", #"{"bucket": "b-123"}"#, .violation),
                 ]),
        types: AWSTypes.buckets
    ) { bucket, _ in
        guard let enabled = try AWSChecks.s3LoggingEnabled(bucket) else {
            return .indeterminate("a bucket logging resource in the stack cannot be joined to this bucket yet")
        }
        return .check(enabled, "Bucket logging must be defined.")
    }

    static let efsEncrypted = SwiftResourcePolicy(
        awsguard("efs-encrypted", "EFS file systems are encrypted at rest.", severity: .high,
                 frameworks: [nist("SC-28")],
                 rationale: "An unencrypted file system keeps its data in clear on AWS storage and in backups. Decided: only `encrypted: true` passes. A `kmsKeyId` with `encrypted` false or absent is a violation (AWS accepts a key only together with `encrypted: true`, so that definition fails at deploy time); `encrypted: true` without a key (the AWS-managed key) passes.",
                 remediation: "Set `encrypted: true` (and `kmsKeyId` for a customer-managed key); encryption is chosen at creation.",
                 examples: [
                     example("aws:efs/fileSystem:FileSystem", #"{"encrypted": true, "kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}"#, .pass),
                     example("aws:efs/fileSystem:FileSystem", #"{"encrypted": true}"#, .pass, "AWS-managed key"),
                     example("aws:efs/fileSystem:FileSystem", #"{"encrypted": false}"#, .violation),
                     example("aws:efs/fileSystem:FileSystem", #"{"encrypted": false, "kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}"#, .violation,
                             "a key does not encrypt a file system created with encrypted: false"),
                     example("aws:efs/fileSystem:FileSystem", #"{}"#, .violation),
                 ]),
        types: ["aws:efs/fileSystem:FileSystem"]
    ) { fs, _ in
        .check(try AWSChecks.efsEncrypted(fs), "EFS must be encrypted.")
    }

    static let searchEncrypted = SwiftResourcePolicy(
        awsguard("elasticsearch-encrypted-at-rest", "Elasticsearch / OpenSearch domains encrypt data at rest.", severity: .high,
                 frameworks: [nist("SC-28")],
                 rationale: "Index data, logs and swap of an unencrypted domain sit in clear on its storage.",
                 remediation: "Set `encryptAtRest: { enabled: true }` on the domain.",
                 examples: [
                     example("aws:elasticsearch/domain:Domain", #"{"encryptAtRest": {"enabled": true}}"#, .pass),
                     example("aws:opensearch/domain:Domain", #"{"encryptAtRest": {"enabled": false}}"#, .violation),
                     example("aws:elasticsearch/domain:Domain", #"{}"#, .violation),
                 ]),
        types: AWSTypes.searchDomains
    ) { domain, _ in
        .check(try domain.truthy("encryptAtRest.enabled"), "Elasticsearch must be encrypted at rest.")
    }

    static let searchInVPC = SwiftResourcePolicy(
        awsguard("elasticsearch-in-vpc-only", "Elasticsearch / OpenSearch domains are reachable only from a VPC.", severity: .high,
                 frameworks: [nist("SC-7")],
                 rationale: "A domain outside a VPC has a public endpoint guarded only by its access policy. Decided, and unlike AWSGuard (which accepts any `vpcOptions`, even `{}`): `vpcOptions` must name at least one subnet. An empty block places the domain in no VPC, and a deployed public domain records exactly that (`vpcOptions` without subnets), so accepting it would pass every public domain in a state scan. This is the one case of AWSGuard's own test suite Rampart answers differently (docs: AWSGuard differences).",
                 remediation: "Set `vpcOptions: { subnetIds, securityGroupIds }` on the domain.",
                 examples: [
                     example("aws:elasticsearch/domain:Domain", #"{"vpcOptions": {"subnetIds": ["subnet-1"]}}"#, .pass),
                     example("aws:opensearch/domain:Domain", #"{}"#, .violation),
                     example("aws:elasticsearch/domain:Domain", #"{"vpcOptions": {"subnetIds": []}}"#, .violation, "state of a public domain"),
                 ]),
        types: AWSTypes.searchDomains
    ) { domain, _ in
        let vpc = try domain.value("vpcOptions")
        let subnets = try vpc["subnetIds"].require("vpcOptions.subnetIds")
        // Deployed public domains record `vpcOptions` with no subnets; inputs may omit `subnetIds` only while unknown.
        let inVPC = !vpc.isAbsent && (subnets.isAbsent ? vpc.count ?? 0 > 0 : subnets.count ?? 0 > 0)
        return .check(inVPC, "Elasticsearch must run within a VPC.")
    }

    static let keyRotation = SwiftResourcePolicy(
        awsguard("cmk-backing-key-rotation-enabled", "KMS customer-managed keys rotate their key material.", severity: .medium,
                 frameworks: [nist("SC-12")],
                 rationale: "Yearly rotation limits how much data one key version protects and how long a leaked version stays useful.",
                 remediation: "Set `enableKeyRotation: true` on the key.",
                 examples: [
                     example("aws:kms/key:Key", #"{"enableKeyRotation": true}"#, .pass),
                     example("aws:kms/key:Key", #"{"enableKeyRotation": false}"#, .violation),
                     example("aws:kms/key:Key", #"{"customerMasterKeySpec": "RSA_2048", "enableKeyRotation": false}"#, .notApplicable,
                             "asymmetric keys cannot rotate"),
                 ]),
        types: ["aws:kms/key:Key"]
    ) { key, _ in
        guard let rotates = try AWSChecks.kmsKeyRotates(key) else { return .notApplicable("the key spec does not support automatic rotation") }
        return .check(rotates, "CMK Backing Key must have rotation enabled.")
    }
}
