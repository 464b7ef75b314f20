import RampartPolicy

/// Acme's own policies. A pack is a value: name (CrossGuard's rule, `^[a-zA-Z0-9-_.]{1,100}$`), version,
/// description, default level and policies.
public enum AcmePolicies {
    public static var pack: PolicyPack {
        PolicyPack(name: "acme", version: "0.1.0", description: "Acme's tagging and ownership rules.",
                   enforcementLevel: .advisory, policies: [bucketOwnerTag], origin: "builtin:acme")
    }

    /// Every S3 bucket names an owning team in its `owner` tag (optionally from a fixed list).
    static let bucketOwnerTag = SwiftResourcePolicy(
        PolicyDescriptor(
            name: "s3-bucket-owner-tag",
            description: "S3 buckets carry an owner tag naming a team.",
            severity: .low,
            rationale: "Untagged buckets have no one to ask before they are changed or deleted.",
            remediation: "Add `tags: { owner: \"<team>\" }` to the bucket.",
            configSchema: ConfigSchema(properties: [
                "teams": ConfigProperty(type: .array(items: .string), description: "Allowed owners; empty allows any.", default: .array([])),
            ]),
            examples: [
                PolicyExample(type: "aws:s3/bucket:Bucket", properties: #"{"tags": {"owner": "payments"}}"#, expect: .pass),
                PolicyExample(type: "aws:s3/bucket:Bucket", properties: #"{"tags": {}}"#, expect: .violation),
                PolicyExample(type: "aws:s3/bucket:Bucket", properties: #"{"tags": {"owner": "nobody"}}"#, expect: .violation,
                              config: PolicyConfig(["teams": .array([.string("payments")])])),
            ]),
        types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]
    ) { bucket, config in
        // `try` turns an unknown (preview) or encrypted tag into the outcome `indeterminate`.
        guard let owner = try bucket.string("tags.owner"), !owner.isEmpty else {
            return .violation("Bucket \(bucket.name) has no owner tag.")
        }
        let teams = config.strings("teams") ?? []
        return .check(teams.isEmpty || teams.contains(owner), "Bucket \(bucket.name) is owned by '\(owner)', which is not a known team.")
    }
}
