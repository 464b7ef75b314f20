import RampartModel
import RampartPolicy

/// Buckets and the separate resources that configure them, across provider majors.
enum S3 {
    static let legacyBucket = "aws:s3/bucket:Bucket"
    static let bucketV2 = "aws:s3/bucketV2:BucketV2"
    static let nativeBucket = "aws-native:s3:Bucket"
    static let buckets = [legacyBucket, bucketV2, nativeBucket]

    static let publicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    static let accountPublicAccessBlock = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
    static let encryptionV2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
    static let encryption = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    static let versioning = ["aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketVersioning:BucketVersioning"]
    static let acls = ["aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucketAcl:BucketAcl"]
    static let policies = ["aws:s3/bucketPolicy:BucketPolicy", "aws-native:s3:BucketPolicy"]

    static let blockFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
    static let publicACLs: Set<String> = ["public-read", "public-read-write", "authenticated-read",
                                          "publicread", "publicreadwrite", "authenticatedread"]

    /// The side resources of the query's types that configure `bucket` (joined through their `bucket` property).
    static func side(_ bucket: ResourceContext, _ query: ReferenceIndex.Query) -> Referrers {
        AWSJoin.referrers(to: bucket, query, keys: remembered(bucket, { $0.keys }, { $0.keys = $1 }) { bucket.keys("bucket", "bucketName") })
    }

    /// What the S3 policies work out about the bucket a worker is judging, kept for the bucket's other policies:
    /// about ten policies judge each bucket one after another, and several join the same side resources (public
    /// access blocks, encryption configurations, bucket policies) by the same keys. Failures are kept too, so each
    /// policy gets the answer it would have worked out itself. A worker's memo serves one stack (it lives with the
    /// worker's `DocumentHandle`), so a bucket is known by its index.
    final class BucketMemo {
        private var index = -1
        var keys: [String]?
        var blocked: Result<(flags: Set<String>, found: Bool, side: Referrers), PolicyControl>?
        var encryption: Result<(rules: [EncryptionRule], side: Referrers), PolicyControl>?
        var policy: Result<(statements: [PolicyStatement], found: Bool, side: Referrers), PolicyControl>?

        init() {}

        /// Forgets what it knew when `bucket` is not the bucket it was about.
        func select(_ bucket: Int) {
            guard bucket != index else { return }
            index = bucket
            keys = nil
            blocked = nil
            encryption = nil
            policy = nil
        }
    }

    /// `compute()` for `bucket`, kept in the worker's bucket memo in the slot `read` and `write` reach (worked out
    /// each time without a memo). The slot is a pair of closures, not a key path: reading and writing through a key
    /// path cost ~1,000 instructions in the runtime per call, more than most of the answers kept.
    static func remembered<T>(_ bucket: ResourceContext, _ read: (BucketMemo) -> T?, _ write: (BucketMemo, T) -> Void,
                              _ compute: () -> T) -> T {
        bucket.withMemo(BucketMemo.init) { memo in
            guard let memo else { return compute() }
            memo.select(bucket.index)
            if let known = read(memo) { return known }
            let value = compute()
            write(memo, value)
            return value
        }
    }

    /// Side resources of `types`, joined to their bucket through `bucket`.
    static func sideQuery(_ types: [String]) -> ReferenceIndex.Query { ReferenceIndex.Query(types: types, property: "bucket") }
    static let publicAccessBlockSide = sideQuery([publicAccessBlock])
    static let encryptionSide = sideQuery([encryptionV2, encryption])
    static let policySide = sideQuery(policies)
    static let versioningSide = sideQuery(versioning)
    static let aclSide = sideQuery(acls)
    static let loggingSide = sideQuery(AWSTypes.bucketLoggings)

    // MARK: - Public access block

    /// The block flags that are on for the bucket: its own (aws-native), the best joined block, or an
    /// account-wide block in the stack. `undecided` when a block might apply but is not joined yet.
    static func blockedFlags(_ bucket: ResourceContext) throws(PolicyControl) -> (flags: Set<String>, found: Bool, side: Referrers) {
        try remembered(bucket, { $0.blocked }, { $0.blocked = $1 }) { Result { () throws(PolicyControl) in try findBlockedFlags(bucket) } }.get()
    }

    private static func findBlockedFlags(_ bucket: ResourceContext) throws(PolicyControl) -> (flags: Set<String>, found: Bool, side: Referrers) {
        func flags(_ block: PropertyLookup, _ path: String) throws(PolicyControl) -> Set<String> {
            var on = Set<String>()
            for flag in blockFlags where try block[flag].requireBool("\(path).\(flag)") == true { on.insert(flag) }
            return on
        }
        var best = Set<String>(), found = false
        if bucket.type == nativeBucket {
            let own = try bucket.value("publicAccessBlockConfiguration")
            if !own.isAbsent { best = try flags(own, "publicAccessBlockConfiguration"); found = true }
        }
        let side = side(bucket, publicAccessBlockSide)
        for block in side.matches + bucket.stack.graph.indexes(ofType: accountPublicAccessBlock).map({ ResourceContext(stack: bucket.stack, index: $0) }) {
            let on = try flags(block.props, block.name)
            found = true
            if on.count > best.count { best = on }
        }
        return (best, found, side)
    }

    // MARK: - Encryption

    /// One default-encryption rule of a bucket, from any of its shapes.
    struct EncryptionRule {
        /// `AES256`, `aws:kms`, `aws:kms:dsse`; nil when the rule names none.
        var algorithm: String?
        /// `kmsMasterKeyId`; nil or empty means the AWS-managed `aws/s3` key for the KMS algorithms.
        var kmsKey: String?
        /// `bucketKeyEnabled`; nil when not set (off).
        var bucketKey: Bool?
    }

    /// The default encryption algorithms configured for the bucket, inline (three shapes) or by a separate
    /// configuration resource. `side` tells whether an unjoined configuration might exist.
    static func encryptionAlgorithms(_ bucket: ResourceContext) throws(PolicyControl) -> (algorithms: [String], side: Referrers) {
        let (rules, side) = try encryptionRules(bucket)
        return (rules.compactMap(\.algorithm), side)
    }

    /// The default encryption rules configured for the bucket: aws-native `bucketEncryption`, the inline
    /// `serverSideEncryptionConfiguration(s)` of the legacy, v6 and v7 buckets, and joined configuration resources.
    static func encryptionRules(_ bucket: ResourceContext) throws(PolicyControl) -> (rules: [EncryptionRule], side: Referrers) {
        try remembered(bucket, { $0.encryption }, { $0.encryption = $1 }) { Result { () throws(PolicyControl) in try findEncryptionRules(bucket) } }.get()
    }

    private static func findEncryptionRules(_ bucket: ResourceContext) throws(PolicyControl) -> (rules: [EncryptionRule], side: Referrers) {
        var rules: [EncryptionRule] = []
        if bucket.type == nativeBucket {
            let path = "bucketEncryption.serverSideEncryptionConfiguration"
            for (i, rule) in try bucket.value(path).requireElements(path).enumerated() {
                rules.append(try encryptionRule(rule, "\(path)[\(i)]", byDefault: rule["serverSideEncryptionByDefault"]))
            }
        } else {
            let inline = try bucket.first("serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations").single
            if !inline.isAbsent {
                let rule = (inline["rule"].isAbsent ? inline["rules"] : inline["rule"]).single
                rules.append(try encryptionRule(rule, "serverSideEncryptionConfiguration.rule", byDefault: applyByDefault(rule)))
            }
        }
        let side = side(bucket, encryptionSide)
        for configuration in side.matches {
            for (i, rule) in try configuration.value("rules").requireElements("rules").enumerated() {
                rules.append(try encryptionRule(rule, "\(configuration.name).rules[\(i)]", byDefault: applyByDefault(rule)))
            }
        }
        return (rules.filter { $0.algorithm != nil || $0.bucketKey != nil }, side)
    }

    /// `applyServerSideEncryptionByDefault(s)` of a rule, an object or a list of one.
    private static func applyByDefault(_ rule: PropertyLookup) -> PropertyLookup {
        (rule["applyServerSideEncryptionByDefault"].isAbsent ? rule["applyServerSideEncryptionByDefaults"] : rule["applyServerSideEncryptionByDefault"]).single
    }

    private static func encryptionRule(_ rule: PropertyLookup, _ path: String, byDefault: PropertyLookup) throws(PolicyControl) -> EncryptionRule {
        EncryptionRule(algorithm: try byDefault["sseAlgorithm"].requireString("\(path).sseAlgorithm"),
                       kmsKey: try byDefault["kmsMasterKeyId"].requireString("\(path).kmsMasterKeyId"),
                       bucketKey: try rule["bucketKeyEnabled"].requireBool("\(path).bucketKeyEnabled"))
    }

    // MARK: - Bucket policy

    /// Every policy document that applies to the bucket: the legacy inline `policy` and joined bucket policies.
    static func policyStatements(_ bucket: ResourceContext) throws(PolicyControl) -> (statements: [PolicyStatement], found: Bool, side: Referrers) {
        try remembered(bucket, { $0.policy }, { $0.policy = $1 }) { Result { () throws(PolicyControl) in try findPolicyStatements(bucket) } }.get()
    }

    private static func findPolicyStatements(_ bucket: ResourceContext) throws(PolicyControl) -> (statements: [PolicyStatement], found: Bool, side: Referrers) {
        var statements: [PolicyStatement] = [], found = false
        if bucket.type != nativeBucket, let inline = try PolicyDocument.statements(bucket.props["policy"], "policy") {
            statements += inline; found = true
        }
        let side = side(bucket, policySide)
        for policy in side.matches {
            let document = policy.type == "aws-native:s3:BucketPolicy" ? policy.props["policyDocument"] : policy.props["policy"]
            if let joined = try PolicyDocument.statements(document, "\(policy.name).policy") { statements += joined; found = true }
        }
        return (statements, found, side)
    }
}
