import RampartModel
import RampartPolicy

/// Where the state-bucket items get their buckets: the settings read through the storage API when `audit` read a
/// self-managed backend (`Evidence.stateBuckets`), and the state bucket itself when a scanned stack declares it as
/// a resource. Both arrive as `StateBucket`, so each item reads one shape whatever the service or the source.
enum StateBucketEvidence {
    /// One bucket to judge, with the resource it was read from (nil: read through the storage API).
    struct Subject {
        var bucket: StateBucket
        var resourceIndex: Int?
    }

    static let notApplicable = Outcome.notApplicable(
        "no self-managed bucket backend (s3://, gs://) was read and no state bucket is a resource of the stack")

    /// `bucketNames`: buckets to treat as state buckets besides those the run finds itself.
    static let schema: [String: ConfigProperty] = [
        "bucketNames": ConfigProperty(type: .array(items: .string),
            description: "Names of buckets that hold Pulumi state, besides the audited s3:// or gs:// backends and the bucket of Pulumi.yaml's backend.url; a bucket of that name declared in a scanned stack is checked.",
            default: .array([])),
    ]

    /// The buckets this subject reports: the API-read ones on the subject that carries organisation-wide items (every
    /// subject when there is none, as in `scan`), then the stack's own bucket resources whose name is a state bucket's.
    static func subjects(_ context: StackContext, config: PolicyConfig) -> [Subject] {
        let evidence = context.evidence
        var result: [Subject] = []
        if evidence.organizationSubject == nil || evidence.organizationSubject == context.stack.identity.description {
            result = evidence.stateBuckets.map { Subject(bucket: $0, resourceIndex: nil) }
        }
        let names = s3Names(evidence, config: config)
        guard !names.isEmpty else { return result }
        for bucket in context.resources(matching: TypeSelector(S3.buckets)) {
            guard let name = bucket.keys("bucket", "bucketName").first(where: names.contains) else { continue }
            result.append(Subject(bucket: S3StateBucket.settings(of: bucket, name: name), resourceIndex: bucket.index))
        }
        return result
    }

    /// Names of the S3 buckets known to hold state: audited `s3://` backends, Pulumi.yaml's `backend.url`, config.
    static func s3Names(_ evidence: Evidence, config: PolicyConfig) -> Set<String> {
        var names = Set(evidence.stateBuckets.filter { $0.service == .s3 }.map(\.name))
        if let url = evidence.project?.backendURL, let name = bucketName(url, scheme: "s3") { names.insert(name) }
        names.formUnion(config.strings("bucketNames") ?? [])
        return names
    }

    /// `bucket` of `s3://bucket/prefix?query`.
    static func bucketName(_ url: String, scheme: String) -> String? {
        guard url.lowercased().hasPrefix(scheme + "://") else { return nil }
        let rest = url.dropFirst(scheme.count + 3)
        let name = rest.prefix { $0 != "/" && $0 != "?" }
        return name.isEmpty ? nil : String(name)
    }

    /// Runs `judge` on every bucket: pass, a violation message, or why the setting could not be read. Not applicable
    /// when there is no bucket.
    static func evaluate(_ context: StackContext, config: PolicyConfig, key: String,
                         _ judge: (StateBucket) -> Verdict) -> StackEvaluation {
        let subjects = subjects(context, config: config)
        guard !subjects.isEmpty else { return .stackLevel(notApplicable) }
        return StackEvaluation(subjects.map { subject in
            let outcome: Outcome
            switch judge(subject.bucket) {
            case .pass: outcome = .pass
            case .violation(let message): outcome = .violation(Violation(message, detailKey: "\(key):\(subject.bucket.location)"))
            case .unreadable(let reason): outcome = .indeterminate("not evaluable: \(reason)")
            }
            return StackEvaluation.Entry(resourceIndex: subject.resourceIndex, outcome: outcome)
        })
    }

    enum Verdict {
        case pass
        case violation(String)
        case unreadable(String)
    }

    /// `state bucket s3://name` for messages: the service and name only (a query may hold an endpoint or profile).
    static func label(_ bucket: StateBucket) -> String {
        "state bucket \(bucket.service == .s3 ? "s3" : "gs")://\(bucket.name)"
    }

    /// The reading's value, or the verdict to give when it could not be read.
    static func known<Value>(_ reading: StateBucket.Reading<Value>, _ bucket: StateBucket, _ setting: String) -> Result<Value, UnreadableSetting> {
        switch reading {
        case .known(let value): return .success(value)
        case .unreadable(let reason): return .failure(UnreadableSetting(reason: "the \(setting) of \(label(bucket)) could not be read (\(reason))"))
        }
    }

    struct UnreadableSetting: Error { var reason: String }
}

/// A state bucket declared as an S3 bucket resource, read into `StateBucket` through what `builtin:aws` knows of
/// buckets and their companion resources (`S3`, `AWSChecks`). A setting whose companion cannot be joined yet (a
/// preview unknown) is unreadable, so its item is not evaluable rather than passed.
enum S3StateBucket {
    static func settings(of bucket: ResourceContext, name: String) -> StateBucket {
        StateBucket(location: "s3://\(name)", service: .s3, name: name,
                    encryption: reading { () throws(PolicyControl) in try encryption(bucket) },
                    versioning: reading { () throws(PolicyControl) in try versioning(bucket) },
                    publicAccess: reading { () throws(PolicyControl) in try publicAccess(bucket) },
                    accessLogging: reading { () throws(PolicyControl) in try logging(bucket) })
    }

    private static func reading<Value>(_ read: () throws(PolicyControl) -> StateBucket.Reading<Value>) -> StateBucket.Reading<Value> {
        do { return try read() } catch {
            switch error {
            case .indeterminate(let reason), .notApplicable(let reason): return .unreadable(reason)
            }
        }
    }

    static func encryption(_ bucket: ResourceContext) throws(PolicyControl) -> StateBucket.Reading<StateBucket.Encryption> {
        let (rules, side) = try S3.encryptionRules(bucket)
        guard let rule = rules.first(where: { $0.algorithm?.hasPrefix("aws:kms") == true }) ?? rules.first(where: { $0.algorithm != nil }) else {
            if let reason = side.undecided { return .unreadable(reason) }
            return .known(StateBucket.Encryption(algorithm: nil))
        }
        let key = rule.algorithm?.hasPrefix("aws:kms") == true ? rule.kmsKey.flatMap { $0.isEmpty ? nil : $0 } : nil
        return .known(StateBucket.Encryption(algorithm: rule.algorithm, customerManagedKey: key))
    }

    static func versioning(_ bucket: ResourceContext) throws(PolicyControl) -> StateBucket.Reading<Bool> {
        if bucket.type == S3.nativeBucket, try bucket.string("versioningConfiguration.status") == "Enabled" { return .known(true) }
        if bucket.type != S3.nativeBucket, try bucket.first("versioning", "versionings").single["enabled"].requireBool("versioning.enabled") == true {
            return .known(true)
        }
        let side = S3.side(bucket, S3.versioningSide)
        for configuration in side.matches where try configuration.string("versioningConfiguration.status") == "Enabled" { return .known(true) }
        if let reason = side.undecided { return .unreadable(reason) }
        return .known(false)
    }

    static func publicAccess(_ bucket: ResourceContext) throws(PolicyControl) -> StateBucket.Reading<StateBucket.PublicAccess> {
        let (flags, _, side) = try S3.blockedFlags(bucket)
        let blocked = S3.blockFlags.allSatisfy(flags.contains)
        var grants: [String] = []
        let own = try bucket.string(bucket.type == S3.nativeBucket ? "accessControl" : "acl")
        if let own, S3.publicACLs.contains(own.lowercased()) { grants.append("the bucket's ACL is \(own)") }
        let acls = S3.side(bucket, S3.aclSide)
        for acl in acls.matches {
            if let canned = try acl.string("acl"), S3.publicACLs.contains(canned.lowercased()) { grants.append("\(acl.name) sets the ACL \(canned)") }
            for grant in try acl.value("accessControlPolicy.grants").requireElements("accessControlPolicy.grants") {
                let uri = grant["grantee"]["uri"].string ?? ""
                if uri.hasSuffix("/global/AllUsers") || uri.hasSuffix("/global/AuthenticatedUsers") {
                    grants.append("\(acl.name) grants \(grant["permission"].string ?? "access") to \(uri.split(separator: "/").last ?? "")")
                }
            }
        }
        let (statements, _, policies) = try S3.policyStatements(bucket)
        if statements.contains(where: { $0.allow && $0.anyPrincipal && !$0.hasCondition }) {
            grants.append("the bucket policy allows anyone (Principal \"*\") without a condition")
        }
        if !blocked, let reason = side.undecided { return .unreadable(reason) }
        if grants.isEmpty, let reason = acls.undecided ?? policies.undecided { return .unreadable(reason) }
        return .known(StateBucket.PublicAccess(blocked: blocked, publicGrants: grants))
    }

    static func logging(_ bucket: ResourceContext) throws(PolicyControl) -> StateBucket.Reading<String?> {
        guard let enabled = try AWSChecks.s3LoggingEnabled(bucket) else { return .unreadable("a logging resource cannot be joined yet") }
        guard enabled else { return .known(nil) }
        let listed = try bucket.value("loggings").requireElements("loggings").first?["targetBucket"].string
        let inline = try bucket.first("loggingConfiguration.destinationBucketName", "logging.targetBucket").string ?? listed
        let joined = S3.side(bucket, S3.loggingSide).matches.lazy.compactMap { $0.props["targetBucket"].string }.first
        return .known((inline ?? joined).map { "s3://\($0)" } ?? "a separate logging resource")
    }
}
