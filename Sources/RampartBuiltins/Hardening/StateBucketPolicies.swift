import RampartModel
import RampartPolicy

// The state bucket's hardening: the bucket of a self-managed backend holds every stack's state — resource
// properties, outputs and, with the passphrase provider, ciphertext whose one key opens them all. Each item judges
// the buckets `StateBucketEvidence` finds (read through the storage API, or declared as a resource in a scanned
// stack), reading only `StateBucket`, so S3 and GCS buckets go through the same items.

/// Examples: the state bucket declared in a stack, named as one through the `bucketNames` setting.
private func stateBucketExample(_ resources: [ExampleResource], _ expectation: PolicyExample.Expectation, _ note: String? = nil) -> PolicyExample {
    PolicyExample(resources: resources, expect: expectation, note: note,
                  config: PolicyConfig(["bucketNames": .array([.string("b-1")])]))
}

private func bucket(_ properties: String = #"{"bucket": "b-1"}"#, type: String = S3.bucketV2) -> ExampleResource {
    ExampleResource("state", type: type, properties: properties)
}

private func companion(_ type: String, _ properties: String) -> ExampleResource {
    ExampleResource("side", type: type, properties: properties, propertyDependencies: ["bucket": ["state"]])
}

/// The state bucket encrypts objects at rest by default (SSE-S3, SSE-KMS, DSSE-KMS; Google-managed or Cloud KMS).
public struct StateBucketEncryptedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state, .stateBucket]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "state-bucket-encrypted",
            description: "The bucket holding a self-managed backend's state encrypts it at rest by default.",
            severity: .high,
            rationale: "The state bucket holds every resource's properties and outputs, and the secrets' ciphertext; default encryption keeps them unreadable on the storage media, and a customer-managed key puts every read under a key policy and its logs.",
            remediation: "Set default encryption on the bucket: SSE-KMS with a customer-managed key (`aws s3api put-bucket-encryption`, or a `BucketServerSideEncryptionConfigurationV2` resource), or a Cloud KMS default key on GCS.",
            frameworks: [nist("SC-28")],
            configSchema: ConfigSchema(properties: StateBucketEvidence.schema.merging([
                "requireCustomerManagedKey": ConfigProperty(type: .boolean,
                    description: "Also require a customer-managed key (an SSE-KMS key of your own, a Cloud KMS key), not the provider-managed default.",
                    default: .bool(false)),
            ]) { first, _ in first }),
            examples: [
                stateBucketExample([bucket(), companion(S3.encryptionV2, #"{"bucket": "b-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:us-east-1:1:key/k"}}]}"#)], .pass, "SSE-KMS with a customer-managed key"),
                stateBucketExample([bucket(#"{"bucket": "b-1", "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, type: S3.legacyBucket)], .pass, "SSE-S3"),
                stateBucketExample([bucket()], .violation, "no default encryption declared"),
                PolicyExample(resources: [bucket(#"{"bucket": "b-1", "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}}"#, type: S3.legacyBucket)],
                              expect: .violation, note: "SSE-S3 when a customer-managed key is required",
                              config: PolicyConfig(["bucketNames": .array([.string("b-1")]), "requireCustomerManagedKey": .bool(true)])),
                stateBucketExample([bucket(#"{"bucket": "other"}"#)], .notApplicable, "not a state bucket"),
            ])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        StateBucketEvidence.evaluate(context, config: config, key: "encryption") { bucket in
            switch StateBucketEvidence.known(bucket.encryption, bucket, "default encryption") {
            case .failure(let unreadable): return .unreadable(unreadable.reason)
            case .success(let encryption):
                guard let algorithm = encryption.algorithm else { return .violation("\(StateBucketEvidence.label(bucket)) has no default encryption") }
                if config.bool("requireCustomerManagedKey") == true && encryption.customerManagedKey == nil {
                    return .violation("\(StateBucketEvidence.label(bucket)) is encrypted with \(algorithm) under the provider-managed key, not a customer-managed key")
                }
                return .pass
            }
        }
    }
}

/// The state bucket keeps object versions, so an overwritten or deleted checkpoint can be restored.
public struct StateBucketVersionedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state, .stateBucket]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "state-bucket-versioned",
            description: "The bucket holding a self-managed backend's state keeps object versions.",
            severity: .high,
            rationale: "Every `pulumi up` overwrites the stack's checkpoint; with versioning, a corrupted, overwritten or deleted checkpoint (a mistake, a bad import, ransomware) can be restored instead of rebuilt by hand with `pulumi import`.",
            remediation: "Enable versioning on the bucket (`aws s3api put-bucket-versioning --versioning-configuration Status=Enabled`, a `BucketVersioningV2` resource, or `gcloud storage buckets update --versioning`), with a lifecycle rule that expires old versions.",
            frameworks: [nist("CP-9")],
            configSchema: ConfigSchema(properties: StateBucketEvidence.schema),
            examples: [
                stateBucketExample([bucket(), companion(S3.versioning[0], #"{"bucket": "b-1", "versioningConfiguration": {"status": "Enabled"}}"#)], .pass),
                stateBucketExample([bucket(#"{"bucket": "b-1", "versioning": {"enabled": true}}"#, type: S3.legacyBucket)], .pass, "inline on the legacy bucket"),
                stateBucketExample([bucket(), companion(S3.versioning[0], #"{"bucket": "b-1", "versioningConfiguration": {"status": "Suspended"}}"#)], .violation, "suspended"),
            ])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        StateBucketEvidence.evaluate(context, config: config, key: "versioning") { bucket in
            switch StateBucketEvidence.known(bucket.versioning, bucket, "versioning") {
            case .failure(let unreadable): return .unreadable(unreadable.reason)
            case .success(let enabled): return enabled ? .pass : .violation("\(StateBucketEvidence.label(bucket)) does not keep object versions")
            }
        }
    }
}

/// The state bucket blocks public access, and no ACL or policy grants it to everyone.
public struct StateBucketPublicAccessBlockedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state, .stateBucket]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "state-bucket-public-access-blocked",
            description: "The bucket holding a self-managed backend's state blocks public access, and no ACL or policy grants access to everyone.",
            severity: .critical,
            rationale: "A public state bucket publishes every stack's resource properties and outputs, and with the passphrase provider the ciphertext of every secret; blocking public access at the bucket keeps one mistaken grant from doing so.",
            remediation: "Turn on all four S3 Block Public Access settings for the bucket (or enforce public access prevention and uniform bucket-level access on GCS) and remove grants to AllUsers/AuthenticatedUsers and policy statements for Principal \"*\".",
            frameworks: [nist("AC-3"), nist("SC-7")],
            configSchema: ConfigSchema(properties: StateBucketEvidence.schema),
            examples: [
                stateBucketExample([bucket(), companion(S3.publicAccessBlock, #"{"bucket": "b-1", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#)], .pass),
                stateBucketExample([bucket()], .violation, "no public access block"),
                stateBucketExample([bucket(#"{"bucket": "b-1", "acl": "public-read"}"#, type: S3.legacyBucket),
                                    companion(S3.publicAccessBlock, #"{"bucket": "b-1", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#)],
                                   .violation, "blocked, but the ACL still grants public read"),
            ])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        StateBucketEvidence.evaluate(context, config: config, key: "public-access") { bucket in
            switch StateBucketEvidence.known(bucket.publicAccess, bucket, "public access settings") {
            case .failure(let unreadable): return .unreadable(unreadable.reason)
            case .success(let access):
                var problems: [String] = []
                if !access.blocked { problems.append("does not block public access") }
                if !access.publicGrants.isEmpty { problems.append("is granted to the public: " + access.publicGrants.joined(separator: "; ")) }
                return problems.isEmpty ? .pass : .violation("\(StateBucketEvidence.label(bucket)) " + problems.joined(separator: " and "))
            }
        }
    }
}

/// The state bucket logs access, so reads of the state can be attributed.
public struct StateBucketAccessLoggingPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state, .stateBucket]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "state-bucket-access-logging",
            description: "The bucket holding a self-managed backend's state logs access requests.",
            severity: .medium,
            rationale: "Pulumi Cloud records who read or changed a stack; a bucket backend records nothing unless the bucket logs its requests, and without the logs a leaked checkpoint cannot be traced.",
            remediation: "Turn on server access logging to a separate log bucket (`aws s3api put-bucket-logging`, a `BucketLoggingV2` resource), or usage logs / Data Access audit logs on GCS.",
            frameworks: [nist("AU-12")],
            configSchema: ConfigSchema(properties: StateBucketEvidence.schema),
            examples: [
                stateBucketExample([bucket(), companion(AWSTypes.bucketLoggings[0], #"{"bucket": "b-1", "targetBucket": "logs"}"#)], .pass),
                stateBucketExample([bucket(#"{"bucket": "b-1", "loggings": []}"#, type: S3.legacyBucket)], .violation),
            ])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        StateBucketEvidence.evaluate(context, config: config, key: "access-logging") { bucket in
            switch StateBucketEvidence.known(bucket.accessLogging, bucket, "access logging") {
            case .failure(let unreadable): return .unreadable(unreadable.reason)
            case .success(let destination):
                return destination == nil ? .violation("\(StateBucketEvidence.label(bucket)) does not log access requests") : .pass
            }
        }
    }
}
