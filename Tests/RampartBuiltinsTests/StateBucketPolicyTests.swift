import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

/// The state bucket's checklist items over `Evidence.stateBuckets` (as `audit` reads them through the storage API)
/// and over bucket resources of a scanned stack.
@Suite struct StateBucketPolicyTests {
    static let items: [any StackPolicy] = [StateBucketEncryptedPolicy(), StateBucketVersionedPolicy(),
                                           StateBucketPublicAccessBlockedPolicy(), StateBucketAccessLoggingPolicy()]
    static let organization = OrganizationScope.identity(organization: "acme")

    static func bucket(_ service: StateBucket.Service = .s3, encryption: StateBucket.Reading<StateBucket.Encryption>,
                       versioning: StateBucket.Reading<Bool>, publicAccess: StateBucket.Reading<StateBucket.PublicAccess>,
                       logging: StateBucket.Reading<String?>) -> StateBucket {
        let scheme = service == .s3 ? "s3" : "gs"
        return StateBucket(location: "\(scheme)://state/team?region=eu-west-1", service: service, name: "state", encryption: encryption,
                           versioning: versioning, publicAccess: publicAccess, accessLogging: logging)
    }

    static let hardened = bucket(encryption: .known(.init(algorithm: "aws:kms", customerManagedKey: "arn:aws:kms:eu-west-1:1:key/k")),
                                 versioning: .known(true), publicAccess: .known(.init(blocked: true)), logging: .known("s3://logs/state/"))
    static let bare = bucket(encryption: .known(.init(algorithm: nil)), versioning: .known(false),
                             publicAccess: .known(.init(blocked: false, publicGrants: ["ACL grants READ to AllUsers"])), logging: .known(nil))
    static let denied = bucket(encryption: .unreadable("403 AccessDenied"), versioning: .unreadable("403 AccessDenied"),
                               publicAccess: .unreadable("403 AccessDenied"), logging: .unreadable("403 AccessDenied"))

    static func evaluate(_ policy: any StackPolicy, buckets: [StateBucket], stack: Stack? = nil, backendURL: String? = nil,
                         config: [String: ConfigValue] = [:]) throws -> [StackEvaluation.Entry] {
        var evidence = Evidence(project: backendURL.map { ProjectFile(path: "Pulumi.yaml", name: "app", backendURL: $0) })
        evidence.stateBuckets = buckets
        evidence.organizationSubject = organization.description
        let stack = stack ?? Stack(identity: organization, source: "(no organisation snapshot)", kind: .projectConfig,
                                   propertySource: .outputs, graph: ResourceGraph(resources: []))
        let merged = policy.descriptor.configSchema.defaults.merging(PolicyConfig(config))
        return try policy.evaluate(StackContext(stack: stack, evidence: evidence), config: merged).entries
    }

    static func kinds(_ entries: [StackEvaluation.Entry]) -> [OutcomeKind] { entries.map(\.outcome.kind) }

    static func messages(_ entries: [StackEvaluation.Entry]) -> [String] {
        entries.compactMap { if case .violation(let v) = $0.outcome { return v.message } else { return nil } }
    }

    @Test func aHardenedBucketPassesEveryItem() throws {
        for policy in Self.items {
            #expect(Self.kinds(try Self.evaluate(policy, buckets: [Self.hardened])) == [.pass], "\(policy.descriptor.name)")
        }
    }

    @Test func aBareBucketViolatesEveryItem() throws {
        for policy in Self.items {
            let entries = try Self.evaluate(policy, buckets: [Self.bare])
            #expect(Self.kinds(entries) == [.violation], "\(policy.descriptor.name)")
            #expect(Self.messages(entries).allSatisfy { $0.hasPrefix("state bucket s3://state ") }, "\(Self.messages(entries))")
            // The location's query (endpoint, profile) stays out of messages.
            #expect(Self.messages(entries).allSatisfy { !$0.contains("region=") })
        }
        let access = try Self.evaluate(StateBucketPublicAccessBlockedPolicy(), buckets: [Self.bare])
        #expect(Self.messages(access) == ["state bucket s3://state does not block public access and is granted to the public: ACL grants READ to AllUsers"])
    }

    @Test func aSettingTheCredentialsMayNotReadIsNotEvaluableNeverAPass() throws {
        for policy in Self.items {
            let entries = try Self.evaluate(policy, buckets: [Self.denied])
            #expect(Self.kinds(entries) == [.indeterminate], "\(policy.descriptor.name)")
            if case .indeterminate(let reason)? = entries.first?.outcome {
                #expect(reason.hasPrefix("not evaluable: the "))
                #expect(reason.contains("403 AccessDenied"))
            }
        }
    }

    @Test func aPublicGrantViolatesEvenWhenPublicAccessIsBlocked() throws {
        var bucket = Self.hardened
        bucket.publicAccess = .known(.init(blocked: true, publicGrants: ["the bucket policy allows anyone"]))
        #expect(Self.kinds(try Self.evaluate(StateBucketPublicAccessBlockedPolicy(), buckets: [bucket])) == [.violation])
    }

    @Test func aCustomerManagedKeyIsRequiredOnlyWhenConfigured() throws {
        var bucket = Self.hardened
        bucket.encryption = .known(.init(algorithm: "AES256"))
        #expect(Self.kinds(try Self.evaluate(StateBucketEncryptedPolicy(), buckets: [bucket])) == [.pass])
        let strict = try Self.evaluate(StateBucketEncryptedPolicy(), buckets: [bucket], config: ["requireCustomerManagedKey": .bool(true)])
        #expect(Self.messages(strict) == ["state bucket s3://state is encrypted with AES256 under the provider-managed key, not a customer-managed key"])
        #expect(Self.kinds(try Self.evaluate(StateBucketEncryptedPolicy(), buckets: [Self.hardened], config: ["requireCustomerManagedKey": .bool(true)])) == [.pass])
    }

    @Test func gcsBucketsGoThroughTheSameItems() throws {
        let gcs = Self.bucket(.gcs, encryption: .known(.init(algorithm: "google-managed")), versioning: .known(false),
                              publicAccess: .known(.init(blocked: true)), logging: .known(nil))
        #expect(Self.kinds(try Self.evaluate(StateBucketEncryptedPolicy(), buckets: [gcs])) == [.pass])
        #expect(Self.messages(try Self.evaluate(StateBucketVersionedPolicy(), buckets: [gcs])) == ["state bucket gs://state does not keep object versions"])
    }

    @Test func notApplicableWhenNoBucketBackendWasRead() throws {
        for policy in Self.items {
            #expect(Self.kinds(try Self.evaluate(policy, buckets: [])) == [.notApplicable])
        }
    }

    @Test func eachBucketIsReportedOnceOnTheOrganisationSubject() throws {
        let stack = Stack(identity: StackIdentity(organization: "acme", project: "app", stack: "dev"), source: "dev.json",
                          kind: .checkpoint, propertySource: .outputs, graph: ResourceGraph(resources: []))
        for policy in Self.items {
            #expect(Self.kinds(try Self.evaluate(policy, buckets: [Self.bare], stack: stack)) == [.notApplicable])
            #expect(Self.kinds(try Self.evaluate(policy, buckets: [Self.bare, Self.hardened])) == [.violation, .pass])
        }
    }

    // MARK: - The state bucket as a resource of a scanned stack

    static func stack(_ resources: [ExampleResource]) throws -> Stack {
        var stack = try PolicyExampleRunner.makeStack(PolicyExample(resources: resources, expect: .pass))
        stack.identity = StackIdentity(organization: "acme", project: "infra", stack: "prod")
        return stack
    }

    static let stateBucketResources: [ExampleResource] = [
        ExampleResource("state", type: "aws:s3/bucketV2:BucketV2", properties: #"{"bucket": "state"}"#),
        ExampleResource("enc", type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                        properties: #"{"bucket": "state", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:k"}}]}"#,
                        propertyDependencies: ["bucket": ["state"]]),
        ExampleResource("ver", type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
                        properties: #"{"bucket": "state", "versioningConfiguration": {"status": "Enabled"}}"#, propertyDependencies: ["bucket": ["state"]]),
        ExampleResource("pab", type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                        properties: #"{"bucket": "state", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}"#,
                        propertyDependencies: ["bucket": ["state"]]),
        ExampleResource("log", type: "aws:s3/bucketLoggingV2:BucketLoggingV2", properties: #"{"bucket": "state", "targetBucket": "logs"}"#,
                        propertyDependencies: ["bucket": ["state"]]),
        ExampleResource("other", type: "aws:s3/bucketV2:BucketV2", properties: #"{"bucket": "website", "acl": "public-read"}"#),
    ]

    @Test func theStateBucketDeclaredInAStackIsJudgedFromItsCompanions() throws {
        let stack = try Self.stack(Self.stateBucketResources)
        for policy in Self.items {
            // Matched by the backend URL of Pulumi.yaml; reported on the stack that declares it, at the bucket resource.
            let entries = try Self.evaluate(policy, buckets: [], stack: stack, backendURL: "s3://state/team?region=eu-west-1")
            #expect(Self.kinds(entries) == [.pass], "\(policy.descriptor.name): \(entries.map(\.outcome))")
            #expect(entries.map(\.resourceIndex) == [0])
        }
    }

    @Test func theStateBucketDeclaredBareViolatesEveryItem() throws {
        let stack = try Self.stack([Self.stateBucketResources[0], Self.stateBucketResources[5]])
        for policy in Self.items {
            // Matched by the audited backend's bucket name (its API reading is reported on the organisation subject).
            let entries = try Self.evaluate(policy, buckets: [Self.hardened], stack: stack)
            #expect(Self.kinds(entries) == [.violation], "\(policy.descriptor.name): \(entries.map(\.outcome))")
        }
    }

    @Test func bucketsThatHoldNoStateAreNotJudged() throws {
        let stack = try Self.stack([Self.stateBucketResources[5]])
        for policy in Self.items {
            #expect(Self.kinds(try Self.evaluate(policy, buckets: [], stack: stack, backendURL: "s3://state")) == [.notApplicable])
        }
    }
}
