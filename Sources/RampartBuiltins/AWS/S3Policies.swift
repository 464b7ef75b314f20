import RampartPolicy

extension AWSBaseline {
    static var s3Policies: [any Policy] {
        [s3PublicAccessBlock, s3Encryption, s3EncryptionKMS, s3Versioning, s3Logging, s3NoPublicACL, s3TLSOnly, s3PolicyNotPublic,
         s3Replication, s3BucketKey, s3CustomerManagedKey]
    }

    /// Example resources: a v6 BucketV2 named `b-1` and a side resource joined to it by dependency.
    static func bucketV2(_ properties: String = #"{"bucket": "b-1"}"#) -> ExampleResource {
        ExampleResource("b", type: S3.bucketV2, properties: properties)
    }
    static func sideOf(_ type: String, _ properties: String, name: String = "side", dependency: Bool = true) -> ExampleResource {
        ExampleResource(name, type: type, properties: properties, propertyDependencies: dependency ? ["bucket": ["b"]] : [:])
    }
    static let allBlocked = #"{"bucket": "b-1", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#

    static let s3PublicAccessBlock = SwiftResourcePolicy(
        baseline("s3-bucket-public-access-block", "S3 buckets have all four Block Public Access settings on.", severity: .high,
                 frameworks: [cis("2.1.5"), nist("SC-7")],
                 rationale: "Block Public Access overrides ACLs and bucket policies that would expose objects; without all four settings one mistaken grant publishes the data.",
                 remediation: "Add an `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock` for the bucket (or an account-wide `AccountPublicAccessBlock`) with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` true; on aws-native set `publicAccessBlockConfiguration`.",
                 examples: [
                     joined(.pass, "BucketV2 joined by dependency", bucketV2(), sideOf(S3.publicAccessBlock, allBlocked)),
                     joined(.pass, "legacy bucket joined by name, strings as booleans",
                            ExampleResource("b", type: S3.legacyBucket, properties: #"{"bucket": "b-1"}"#),
                            sideOf(S3.publicAccessBlock, #"{"bucket": "b-1", "blockPublicAcls": "true", "blockPublicPolicy": "true", "ignorePublicAcls": "true", "restrictPublicBuckets": "true"}"#, dependency: false)),
                     joined(.violation, "one setting off", bucketV2(),
                            sideOf(S3.publicAccessBlock, #"{"bucket": "b-1", "blockPublicAcls": true, "blockPublicPolicy": false, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#)),
                     example(S3.bucketV2, #"{"bucket": "b-1"}"#, .violation, "no block at all"),
                     example(S3.nativeBucket, #"{"publicAccessBlockConfiguration": {"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}}"#, .pass),
                     joined(.indeterminate, "preview: the block's bucket is unknown and no dependency recorded", preview: true,
                            bucketV2(#"{}"#), sideOf(S3.publicAccessBlock, #"{"bucket": "\#(unknown)", "blockPublicAcls": true}"#, dependency: false)),
                     joined(.pass, "preview: ids unknown, joined by dependency", preview: true,
                            bucketV2(#"{}"#), sideOf(S3.publicAccessBlock, #"{"bucket": "\#(unknown)", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#)),
                 ]),
        types: S3.buckets
    ) { bucket, _ in
        let (flags, found, side) = try S3.blockedFlags(bucket)
        let missing = S3.blockFlags.filter { !flags.contains($0) }
        if missing.isEmpty { return .pass }
        if !found { return joinedOutcome(found: false, side, "S3 bucket \(bucket.name) has no public access block.") }
        return .violation(Violation("S3 bucket \(bucket.name)'s public access block leaves off: \(missing.joined(separator: ", "))."))
    }

    static let s3Encryption = SwiftResourcePolicy(
        baseline("s3-bucket-encryption-enabled", "S3 buckets declare default server-side encryption.", severity: .low,
                 frameworks: [cis("2.1.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "S3 encrypts new objects with SSE-S3 since 2023, but a declared default makes the choice explicit and reviewable, and is what CIS 2.1.1 checks.",
                 remediation: "Declare default encryption: `serverSideEncryptionConfiguration` on the legacy/v7 bucket, an `aws:s3/bucketServerSideEncryptionConfiguration(V2)` resource, or `bucketEncryption` on aws-native.",
                 examples: [
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, .pass, "legacy/v7 object shape"),
                     example(S3.bucketV2, #"{"serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}]}"#, .pass, "v6 lists of one"),
                     joined(.pass, "separate configuration resource", bucketV2(),
                            sideOf(S3.encryptionV2, #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}"#)),
                     example(S3.nativeBucket, #"{"bucketEncryption": {"serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}}"#, .pass),
                     example(S3.legacyBucket, #"{"bucket": "b-1"}"#, .violation),
                     joined(.indeterminate, "preview: configuration not joinable yet", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.encryption, #"{"bucket": "\#(unknown)", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}"#, dependency: false)),
                 ],
                 equivalents: compliance("aws-s3-bucket-enable-server-side-encryption", "awsnative-s3-bucket-enable-server-side-encryption")),
        types: S3.buckets
    ) { bucket, _ in
        let (algorithms, side) = try S3.encryptionAlgorithms(bucket)
        return joinedOutcome(found: !algorithms.isEmpty, side, "S3 bucket \(bucket.name) declares no default server-side encryption.")
    }

    static let s3EncryptionKMS = SwiftResourcePolicy(
        baseline("s3-bucket-encryption-uses-kms", "S3 buckets encrypt by default with a KMS key.", severity: .low, frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")], level: .disabled,
                 rationale: "SSE-KMS puts reads under a key policy and CloudTrail logs each key use; SSE-S3 does neither. Opt-in: not every bucket needs it.",
                 remediation: "Set the default encryption's `sseAlgorithm` to `aws:kms` (optionally with `kmsMasterKeyId` and `bucketKeyEnabled`).",
                 examples: [
                     joined(.pass, nil, bucketV2(), sideOf(S3.encryption, #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms:dsse"}}]}"#)),
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, .violation),
                     example(S3.bucketV2, #"{}"#, .violation, "no configuration: SSE-S3"),
                 ],
                 equivalents: compliance("aws-s3-bucket-configure-server-side-encryption-kms", "awsnative-s3-bucket-configure-server-side-encryption-kms")),
        types: S3.buckets
    ) { bucket, _ in
        let (algorithms, side) = try S3.encryptionAlgorithms(bucket)
        return joinedOutcome(found: algorithms.contains { $0.hasPrefix("aws:kms") }, side,
                             "S3 bucket \(bucket.name) does not encrypt with KMS by default (\(algorithms.isEmpty ? "SSE-S3" : algorithms.joined(separator: ", "))).")
    }

    static let s3Versioning = SwiftResourcePolicy(
        baseline("s3-bucket-versioning-enabled", "S3 buckets keep object versions.", severity: .medium,
                 rationale: "Versioning keeps overwritten and deleted objects recoverable, against mistakes and ransomware alike.",
                 remediation: "Enable versioning: `versioning: { enabled: true }` (legacy/v7), an `aws:s3/bucketVersioning(V2)` with `versioningConfiguration.status: Enabled`, or `versioningConfiguration` on aws-native.",
                 examples: [
                     example(S3.legacyBucket, #"{"versioning": {"enabled": true}}"#, .pass),
                     example(S3.bucketV2, #"{"versionings": [{"enabled": "true"}]}"#, .pass, "v6 list of one, string boolean"),
                     joined(.pass, nil, bucketV2(), sideOf(S3.versioning[0], #"{"bucket": "b-1", "versioningConfiguration": {"status": "Enabled"}}"#)),
                     example(S3.nativeBucket, #"{"versioningConfiguration": {"status": "Enabled"}}"#, .pass),
                     example(S3.legacyBucket, #"{"versioning": {"enabled": false}}"#, .violation),
                     joined(.violation, "suspended", bucketV2(), sideOf(S3.versioning[1], #"{"bucket": "b-1", "versioningConfiguration": {"status": "Suspended"}}"#)),
                     joined(.indeterminate, "preview", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.versioning[1], #"{"bucket": "\#(unknown)", "versioningConfiguration": {"status": "Enabled"}}"#, dependency: false)),
                 ]),
        types: S3.buckets
    ) { bucket, _ in
        if bucket.type == S3.nativeBucket, try bucket.string("versioningConfiguration.status") == "Enabled" { return .pass }
        if bucket.type != S3.nativeBucket, try bucket.first("versioning", "versionings").single["enabled"].requireBool("versioning.enabled") == true { return .pass }
        let side = S3.side(bucket, S3.versioningSide)
        var enabled = false
        for configuration in side.matches where try configuration.string("versioningConfiguration.status") == "Enabled" { enabled = true }
        return joinedOutcome(found: enabled, side, "S3 bucket \(bucket.name) does not have versioning enabled.")
    }

    static let s3Logging = SwiftResourcePolicy(
        baseline("s3-bucket-access-logging-enabled", "S3 buckets have server access logging enabled.", severity: .medium,
                 frameworks: [nist("AU-12")],
                 rationale: "Server access logs record each request to the bucket; without them data access cannot be audited.",
                 remediation: "Set `loggings` (legacy), `logging` (v7) or `loggingConfiguration` (aws-native), or add an `aws:s3/bucketLogging(V2)` for the bucket.",
                 examples: [
                     example(S3.legacyBucket, #"{"loggings": [{"targetBucket": "logs"}]}"#, .pass),
                     example(S3.nativeBucket, #"{"loggingConfiguration": {"destinationBucketName": "logs"}}"#, .pass),
                     joined(.pass, nil, bucketV2(), sideOf(AWSTypes.bucketLoggings[1], #"{"bucket": "b-1", "targetBucket": "logs"}"#)),
                     example(S3.legacyBucket, #"{"loggings": []}"#, .violation),
                     joined(.indeterminate, "preview", preview: true, bucketV2(#"{}"#),
                            sideOf(AWSTypes.bucketLoggings[0], #"{"bucket": "\#(unknown)", "targetBucket": "logs"}"#, dependency: false)),
                 ]),
        types: S3.buckets
    ) { bucket, _ in
        guard let enabled = try AWSChecks.s3LoggingEnabled(bucket) else { return .indeterminate("a logging resource cannot be joined yet") }
        return .check(enabled, "S3 bucket \(bucket.name) does not have server access logging enabled.")
    }

    static let replicationConfig = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
    static let replicationSide = S3.sideQuery([replicationConfig])
    static let kmsRules = #"{"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:us-west-2:123456789012:key/k"}, "bucketKeyEnabled": true}}"#

    static let s3Replication = SwiftResourcePolicy(
        baseline("s3-bucket-replication-enabled", "S3 buckets replicate their objects, with every replication rule enabled.", severity: .high,
                 frameworks: frameworks("iso27001", "pcidss"), level: .disabled,
                 rationale: """
                 Replication keeps a copy of every new object in another bucket (normally in another region), so a regional outage, \
                 a deleted bucket or a compromised account does not take the only copy. A rule left `Disabled` replicates nothing. \
                 Opt-in: it doubles storage and not every bucket (logs, build artefacts, the replicas themselves) needs a copy. The \
                 destination's region is not visible offline, so same-region replication passes too.
                 """,
                 remediation: "Add replication (an `aws:s3/bucketReplicationConfig:BucketReplicationConfig` for the bucket, `replicationConfiguration` on the legacy bucket or aws-native) with at least one rule whose `status` is `Enabled`; replication needs versioning on both buckets.",
                 examples: [
                     example(S3.legacyBucket, #"{"replicationConfiguration": {"role": "arn:aws:iam::1:role/r", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::replica"}}]}}"#, .pass),
                     joined(.pass, "separate replication resource", bucketV2(),
                            sideOf(replicationConfig, #"{"bucket": "b-1", "role": "arn:r", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::replica"}}]}"#)),
                     example(S3.nativeBucket, #"{"replicationConfiguration": {"role": "arn:r", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::replica"}}]}}"#, .pass),
                     example(S3.legacyBucket, #"{"replicationConfiguration": {"role": "arn:r", "rules": [{"status": "Disabled", "destination": {"bucket": "arn:aws:s3:::replica"}}]}}"#, .violation, "rule disabled"),
                     example(S3.nativeBucket, #"{"replicationConfiguration": {"role": "arn:r", "rules": []}}"#, .violation, "no rules"),
                     example(S3.bucketV2, #"{"bucket": "b-1"}"#, .violation),
                     joined(.indeterminate, "preview: the replication's bucket is unknown", preview: true, bucketV2(#"{}"#),
                            sideOf(replicationConfig, #"{"bucket": "\#(unknown)", "role": "arn:r", "rules": [{"status": "Enabled"}]}"#, dependency: false)),
                 ],
                 equivalents: compliance("aws-s3-bucket-enable-replication-configuration", "aws-s3-bucket-configure-replication-configuration",
                                         "awsnative-s3-bucket-enable-replication-configuration", "awsnative-s3-bucket-configure-replication-configuration")),
        types: S3.buckets
    ) { bucket, _ in
        var statuses: [String] = []
        func collect(_ configuration: PropertyLookup, _ path: String) throws(PolicyControl) {
            for (i, rule) in try configuration["rules"].requireElements("\(path).rules").enumerated() {
                statuses.append(try rule["status"].requireString("\(path).rules[\(i)].status") ?? "")
            }
        }
        try collect(try bucket.first("replicationConfiguration", "replicationConfigurations").single, "replicationConfiguration")
        let side = S3.side(bucket, replicationSide)
        for configuration in side.matches { try collect(configuration.props, configuration.name) }
        let disabled = statuses.filter { $0.lowercased() != "enabled" }
        if !disabled.isEmpty {
            return .violation("S3 bucket \(bucket.name) has \(disabled.count) replication rule(s) that are not enabled.")
        }
        return joinedOutcome(found: !statuses.isEmpty, side, "S3 bucket \(bucket.name) does not replicate its objects.")
    }

    static let s3BucketKey = SwiftResourcePolicy(
        baseline("s3-bucket-key-enabled", "S3 buckets encrypted with SSE-KMS use an S3 Bucket Key.", severity: .medium,
                 frameworks: frameworks("iso27001", "pcidss"),
                 rationale: """
                 Without a Bucket Key every object operation calls KMS: request costs grow with traffic, and busy buckets hit the \
                 KMS request quota, which throttles reads and writes of everything encrypted with the key. A Bucket Key derives \
                 per-bucket data keys and cuts those calls by up to 99%. Buckets not encrypted with SSE-KMS are not applicable \
                 (DSSE-KMS does not support Bucket Keys).
                 """,
                 remediation: "Set `bucketKeyEnabled: true` on the default-encryption rule that uses `aws:kms`.",
                 examples: [
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": \#(kmsRules)}"#, .pass),
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}}}"#, .violation),
                     joined(.violation, "separate configuration resource", bucketV2(),
                            sideOf(S3.encryptionV2, #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": false}]}"#)),
                     example(S3.nativeBucket, #"{"bucketEncryption": {"serverSideEncryptionConfiguration": [{"bucketKeyEnabled": true, "serverSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}}"#, .pass),
                     example(S3.nativeBucket, #"{"bucketEncryption": {"serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}}"#, .violation),
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, .notApplicable),
                     joined(.indeterminate, "preview: configuration not joinable yet", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.encryption, #"{"bucket": "\#(unknown)", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}"#, dependency: false)),
                 ],
                 equivalents: compliance("aws-s3-bucket-enable-server-side-encryption-bucket-key", "awsnative-s3-bucket-enable-server-side-encryption-bucket-key")),
        types: S3.buckets
    ) { bucket, _ in
        let (rules, side) = try S3.encryptionRules(bucket)
        let kms = rules.filter { $0.algorithm == "aws:kms" }
        if kms.isEmpty {
            if rules.isEmpty, let reason = side.undecided { return .indeterminate(reason) }
            return .notApplicable("not encrypted with SSE-KMS")
        }
        return .check(kms.allSatisfy { $0.bucketKey == true }, "S3 bucket \(bucket.name) encrypts with SSE-KMS without a Bucket Key.")
    }

    static let s3CustomerManagedKey = SwiftResourcePolicy(
        baseline("s3-bucket-encryption-customer-managed-key", "S3 buckets encrypt by default with a customer-managed KMS key.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: """
                 SSE-S3 and SSE-KMS without `kmsMasterKeyId` (the AWS-managed `aws/s3` key) leave access to the data to bucket \
                 permissions alone; a customer-managed key adds its key policy, can be shared across accounts and disabled in an \
                 incident. Stricter than `s3-bucket-encryption-uses-kms`, which accepts the AWS-managed key. Opt-in; an \
                 `alias/aws/...` key does not count.
                 """,
                 remediation: "Set the default-encryption rule to `sseAlgorithm: \"aws:kms\"` with `kmsMasterKeyId` set to a customer-managed key ARN (and `bucketKeyEnabled: true`).",
                 examples: [
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": \#(kmsRules)}"#, .pass),
                     example(S3.legacyBucket, #"{"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": ""}}}}"#, .violation),
                     example(S3.bucketV2, #"{"serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "alias/aws/s3"}]}]}]}"#, .violation, "the AWS-managed key"),
                     joined(.pass, "separate configuration resource", bucketV2(),
                            sideOf(S3.encryptionV2, #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms:dsse", "kmsMasterKeyId": "arn:aws:kms:us-west-2:1:key/k"}}]}"#)),
                     example(S3.nativeBucket, #"{"bucketEncryption": {"serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}}"#, .violation),
                     example(S3.bucketV2, #"{}"#, .violation, "no configuration: SSE-S3"),
                     joined(.indeterminate, "preview: configuration not joinable yet", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.encryptionV2, #"{"bucket": "\#(unknown)", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:us-west-2:1:key/k"}}]}"#, dependency: false)),
                 ],
                 equivalents: compliance("aws-s3-bucket-configure-server-side-encryption-customer-managed-key",
                                         "awsnative-s3-bucket-configure-server-side-encryption-customer-managed-key")),
        types: S3.buckets
    ) { bucket, _ in
        let (rules, side) = try S3.encryptionRules(bucket)
        let found = rules.contains { ($0.algorithm ?? "").hasPrefix("aws:kms") && KMSKeyReference.isCustomerManaged($0.kmsKey) }
        return joinedOutcome(found: found, side, "S3 bucket \(bucket.name) does not encrypt by default with a customer-managed KMS key.")
    }
}
