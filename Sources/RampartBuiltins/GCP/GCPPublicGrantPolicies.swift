import RampartModel
import RampartPolicy

/// Public access granted through the separate IAM member, binding and policy resources of every service
/// (Pub/Sub topics, Cloud Run services, functions, secrets, KMS keys, service accounts, …) and through object ACLs.
///
/// Project, folder and organization members and bindings are judged by `gcp-iam-no-public-members`, BigQuery
/// dataset grants by `gcp-bigquery-dataset-not-public`, and bucket grants whose bucket is in the stack by
/// `gcp-storage-bucket-not-public` (which knows the bucket's public access prevention); this policy covers the rest.
extension GCPBaseline {
    static var publicGrantPolicies: [any Policy] { [noPublicResourceGrants] }

    static let iamGrantPatterns = ["gcp:*:*IAMMember", "gcp:*:*IamMember", "gcp:*:*IAMBinding", "gcp:*:*IamBinding",
                                   "gcp:*:*IAMPolicy", "gcp:*:*IamPolicy"]
    static let objectACLTypes = [
        "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", "gcp:storage/objectAccessControl:ObjectAccessControl",
        "gcp:storage/defaultObjectACL:DefaultObjectACL", "gcp:storage/objectACL:ObjectACL",
    ]
    /// Grants judged by other policies of the pack.
    static let grantsJudgedElsewhere = TypeSelector(resourceIAMGrants + [
        "gcp:bigquery/datasetIamMember:DatasetIamMember", "gcp:bigquery/datasetIamBinding:DatasetIamBinding",
    ])

    /// The bucket of the stack a storage grant or ACL points at (by property dependency, else by name).
    static func bucketInStack(of grant: ResourceContext) -> ResourceContext? {
        if let bucket = grant.dependencies(ofProperty: "bucket").first(where: { $0.type == GCPTypes.bucket }) { return bucket }
        guard var name = grant.props["bucket"].string else { return nil }
        if name.hasPrefix("b/") { name.removeFirst(2) }
        return StackContext(stack: grant.stack, evidence: grant.evidence).resources(matching: TypeSelector([GCPTypes.bucket]))
            .first { $0.props["name"].string == name }
    }

    /// The members of an IAM policy resource's `policyData` (JSON text), each with its role.
    static func policyDataMembers(_ grant: ResourceContext) throws(PolicyControl) -> [(role: String, member: String)] {
        guard let text = try grant.string("policyData"), let document = try? PropertyValue.parse(json: text) else { return [] }
        var result: [(String, String)] = []
        for binding in PropertyLookup(document)["bindings"].elements {
            let role = binding["role"].string ?? "a role"
            for member in binding["members"].elements.compactMap(\.string) { result.append((role, member)) }
        }
        return result
    }

    static let noPublicResourceGrants = SwiftResourcePolicy(
        Baseline.descriptor("gcp-iam-no-public-resource-grants", "Resource IAM members, bindings, policies and object ACLs do not grant to allUsers or allAuthenticatedUsers.", .high,
            rationale: "A grant to allUsers gives the role to anyone on the internet, and allAuthenticatedUsers to anyone with a Google account. Granted through a separate `…IAMMember`, `…IAMBinding` or `…IAMPolicy` resource, it does not show on the topic, service, function, secret or key it opens. Roles meant to be public (e.g. `roles/run.invoker` for a public Cloud Run service) can be listed in `allowedRoles`.",
            remediation: "Remove `allUsers` / `allAuthenticatedUsers` from the grant; grant the role to the specific principals, or list the role in `allowedRoles` when the resource is public on purpose.",
            frameworks: [BaselineFrameworks.cisGCP("1.1")],
            examples: [
                Baseline.ex("gcp:pubsub/topicIAMMember:TopicIAMMember", #"{"topic": "events", "role": "roles/pubsub.publisher", "member": "allUsers"}"#, .violation),
                Baseline.ex("gcp:pubsub/topicIAMBinding:TopicIAMBinding", #"{"topic": "events", "role": "roles/pubsub.subscriber", "members": ["serviceAccount:app@p.iam.gserviceaccount.com"]}"#, .pass),
                Baseline.ex("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", #"{"name": "api", "role": "roles/run.invoker", "member": "allUsers"}"#, .violation),
                Baseline.ex("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", #"{"name": "api", "role": "roles/run.invoker", "member": "allUsers"}"#, .pass,
                            "a public service on purpose", config: ["allowedRoles": .array([.string("roles/run.invoker")])]),
                Baseline.ex("gcp:secretmanager/secretIamPolicy:SecretIamPolicy", #"{"secretId": "s", "policyData": "{\"bindings\":[{\"role\":\"roles/secretmanager.secretAccessor\",\"members\":[\"allAuthenticatedUsers\"]}]}"}"#, .violation),
                Baseline.ex("gcp:storage/bucketIAMMember:BucketIAMMember", #"{"bucket": "someone-elses-bucket", "role": "roles/storage.objectViewer", "member": "allUsers"}"#, .violation, "bucket not in the stack"),
                Baseline.joined(.notApplicable, "bucket in the stack: judged on the bucket by gcp-storage-bucket-not-public",
                    ExampleResource("grant", type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                                    properties: #"{"bucket": "site-123", "role": "roles/storage.objectViewer", "member": "allUsers"}"#),
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123"}"#)),
                Baseline.joined(.violation, "a bucket IAM policy is judged here even when its bucket is in the stack",
                    ExampleResource("policy", type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
                                    properties: #"{"bucket": "site-123", "policyData": "{\"bindings\":[{\"role\":\"roles/storage.objectViewer\",\"members\":[\"allUsers\"]}]}"}"#),
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123"}"#)),
                Baseline.joined(.pass, "object ACLs are void under enforced public access prevention",
                    ExampleResource("acl", type: "gcp:storage/objectACL:ObjectACL", properties: #"{"bucket": "site-123", "object": "index.html", "roleEntities": ["READER:allUsers"]}"#,
                                    propertyDependencies: ["bucket": ["site"]]),
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123", "publicAccessPrevention": "enforced"}"#)),
                Baseline.ex("gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", #"{"bucket": "b", "entity": "allUsers", "role": "READER"}"#, .violation),
                Baseline.ex("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", #"{"cryptoKeyId": "k", "role": "roles/cloudkms.cryptoKeyEncrypter", "member": \#(Baseline.unknown)}"#, .indeterminate),
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/viewer", "member": "allUsers"}"#, .notApplicable, "judged by gcp-iam-no-public-members"),
            ],
            schema: ConfigSchema(properties: [
                "allowedRoles": ConfigProperty(type: .array(items: .string), description: "Roles that may be granted to allUsers / allAuthenticatedUsers (public on purpose).",
                                               default: .array([])),
            ])),
        types: iamGrantPatterns + objectACLTypes
    ) { grant, config in
        if grantsJudgedElsewhere.matches(grant.type) { return .notApplicable("judged by another policy of the pack") }
        let isStorage = grant.type.hasPrefix("gcp:storage/")
        if isStorage, let bucket = bucketInStack(of: grant) {
            // The member, binding and ACL resources of a bucket in the stack are reported on the bucket; the rest
            // (object ACLs, BucketIAMPolicy) are judged here, and are void under public access prevention.
            if bucketGrantTypes.matches(grant.type) { return .notApplicable("the bucket is in the stack: judged by gcp-storage-bucket-not-public") }
            if try bucket.string("publicAccessPrevention") == "enforced" { return .pass }
        }
        let allowed = Set(config.strings("allowedRoles") ?? [])
        var grants: [(role: String, member: String)]
        if grant.type.hasSuffix("IAMPolicy") || grant.type.hasSuffix("IamPolicy") {
            grants = try policyDataMembers(grant)
        } else {
            let role = try grant.string("role") ?? "its role"
            grants = try GCPTypes.members(of: grant).map { (role, $0) }
        }
        grants = grants.filter { GCPTypes.isPublic($0.member) && !allowed.contains($0.role) }
        return .violations(grants.map { "\(grant.name) grants \($0.role) to \($0.member)." })
    }
}
