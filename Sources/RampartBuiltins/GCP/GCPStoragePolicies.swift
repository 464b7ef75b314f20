import RampartModel
import RampartPolicy

extension GCPBaseline {
    static var storagePolicies: [any Policy] {
        [bucketUniformAccess, bucketPublicAccessPrevention, bucketNotPublic, bucketVersioning, bucketLogging, datasetNotPublic]
    }

    static let bucketGrantTypes = TypeSelector([
        "gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding",
        "gcp:storage/bucketACL:BucketACL", "gcp:storage/bucketAccessControl:BucketAccessControl",
    ])
    static let bucketGrantJoin = Baseline.attachmentQuery(bucketGrantTypes, property: "bucket")

    static let bucketUniformAccess = SwiftResourcePolicy(
        Baseline.descriptor("gcp-storage-uniform-bucket-level-access", "Buckets use uniform bucket-level access.", .medium,
            rationale: "With fine-grained ACLs, object-level grants can make single objects public outside IAM's view.",
            remediation: "Set `uniformBucketLevelAccess: true`.",
            frameworks: [BaselineFrameworks.cisGCP("5.2"), nist("AC-3")],
            examples: [
                Baseline.ex(GCPTypes.bucket, #"{"uniformBucketLevelAccess": true}"#, .pass),
                Baseline.ex(GCPTypes.bucket, #"{"uniformBucketLevelAccess": false}"#, .violation),
                Baseline.ex(GCPTypes.bucket, #"{"uniformBucketLevelAccess": \#(Baseline.unknown)}"#, .indeterminate),
            ]),
        types: [GCPTypes.bucket]
    ) { bucket, _ in
        .check(try bucket.bool("uniformBucketLevelAccess") == true, "Bucket \(bucket.name) uses fine-grained ACLs.")
    }

    static let bucketPublicAccessPrevention = SwiftResourcePolicy(
        Baseline.descriptor("gcp-storage-public-access-prevention", "Buckets enforce public access prevention.", .high,
            rationale: "Enforced public access prevention makes any grant to allUsers or allAuthenticatedUsers fail, whatever IAM or ACLs say.",
            remediation: "Set `publicAccessPrevention: \"enforced\"` (or enforce the `storage.publicAccessPrevention` organization policy).",
            frameworks: [BaselineFrameworks.cisGCP("5.1")] + frameworks("iso27001", "pcidss") + [nist("SC-7")],
            examples: [
                Baseline.ex(GCPTypes.bucket, #"{"publicAccessPrevention": "enforced"}"#, .pass),
                Baseline.ex(GCPTypes.bucket, #"{"publicAccessPrevention": "inherited"}"#, .violation),
                Baseline.ex(GCPTypes.bucket, #"{}"#, .violation),
            ],
            equivalents: compliance("gcp-storage-bucket-enforce-public-access-prevention")),
        types: [GCPTypes.bucket]
    ) { bucket, _ in
        .check(try bucket.string("publicAccessPrevention") == "enforced", "Bucket \(bucket.name) does not enforce public access prevention.")
    }

    static let bucketNotPublic = SwiftResourcePolicy(
        Baseline.descriptor("gcp-storage-bucket-not-public", "Buckets are not granted to allUsers or allAuthenticatedUsers.", .critical,
            rationale: "An IAM member, binding or ACL for allUsers publishes the bucket's objects to the internet.",
            remediation: "Remove the public grant (`gcp:storage/BucketIAMMember`, `BucketIAMBinding`, `BucketACL`, `BucketAccessControl`) and enforce public access prevention.",
            frameworks: [BaselineFrameworks.cisGCP("5.1"), nist("SC-7")],
            examples: [
                Baseline.joined(.violation, "IAM member for allUsers joined by property dependency",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123", "publicAccessPrevention": "inherited"}"#),
                    ExampleResource("site-public", type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                                    properties: #"{"bucket": "site-123", "role": "roles/storage.objectViewer", "member": "allUsers"}"#,
                                    propertyDependencies: ["bucket": ["site"]])),
                Baseline.joined(.pass, "binding to a group",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123"}"#),
                    ExampleResource("readers", type: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
                                    properties: #"{"bucket": "site-123", "role": "roles/storage.objectViewer", "members": ["group:eng@example.com"]}"#)),
                Baseline.joined(.violation, "binding joined by bucket name",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123"}"#),
                    ExampleResource("readers", type: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
                                    properties: #"{"bucket": "b/site-123", "role": "roles/storage.objectViewer", "members": ["allAuthenticatedUsers"]}"#)),
                Baseline.joined(.pass, "public access prevention makes the grant ineffective",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123", "publicAccessPrevention": "enforced"}"#),
                    ExampleResource("acl", type: "gcp:storage/bucketACL:BucketACL", properties: #"{"bucket": "site-123", "roleEntities": ["READER:allUsers"]}"#)),
                Baseline.joined(.pass, "preview: bucket name unknown, grant to a user joined by dependency",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": \#(Baseline.unknown)}"#),
                    ExampleResource("grant", type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                                    properties: #"{"bucket": \#(Baseline.unknown), "member": "user:a@example.com"}"#, propertyDependencies: ["bucket": ["site"]])),
                Baseline.joined(.indeterminate, "preview: a public grant to a bucket not known until deployment",
                    ExampleResource("site", type: GCPTypes.bucket, properties: #"{"name": "site-123"}"#),
                    ExampleResource("grant", type: "gcp:storage/bucketIAMMember:BucketIAMMember", properties: #"{"bucket": \#(Baseline.unknown), "member": "allUsers"}"#)),
            ]),
        types: [GCPTypes.bucket]
    ) { bucket, _ in
        if try bucket.string("publicAccessPrevention") == "enforced" { return .pass }
        // The name only serves the by-value join; an unknown name leaves the join to property dependencies.
        let name = bucket.props["name"].string
        let grants = Baseline.attachments(to: bucket, bucketGrantJoin,
                                          keys: [name, name.map { "b/" + $0 }, bucket.resource.id])
        var problems: [String] = []
        for grant in grants.matched {
            for member in try GCPTypes.members(of: grant) where GCPTypes.isPublic(member) {
                problems.append("Bucket \(bucket.name) is granted to \(member) by \(grant.name).")
            }
        }
        if problems.isEmpty, try grants.unresolved.contains(where: { try GCPTypes.members(of: $0).contains(where: GCPTypes.isPublic) }) {
            return .indeterminate("a public grant targets a bucket not known until deployment")
        }
        return .violations(problems)
    }

    static let bucketVersioning = SwiftResourcePolicy(
        Baseline.descriptor("gcp-storage-bucket-versioning", "Buckets keep object versions.", .low,
            rationale: "Versioning lets overwritten or deleted objects be recovered after mistakes or ransomware.",
            remediation: "Set `versioning: { enabled: true }` (with a lifecycle rule to expire old versions).",
            frameworks: [],
            examples: [
                Baseline.ex(GCPTypes.bucket, #"{"versioning": {"enabled": true}}"#, .pass),
                Baseline.ex(GCPTypes.bucket, #"{"versioning": null}"#, .violation),
            ]),
        types: [GCPTypes.bucket]
    ) { bucket, _ in
        .check(try bucket.bool("versioning.enabled") == true, "Bucket \(bucket.name) does not keep object versions.")
    }

    static let bucketLogging = SwiftResourcePolicy(
        Baseline.descriptor("gcp-storage-bucket-access-logging", "Buckets write usage logs.", .low,
            rationale: "Usage logs record who read or wrote which object, for audits of sensitive data.",
            remediation: "Set `logging: { logBucket: \"<logs bucket>\" }` (or rely on Data Access audit logs).",
            frameworks: [nist("AU-12")],
            examples: [
                Baseline.ex(GCPTypes.bucket, #"{"logging": {"logBucket": "logs-123"}}"#, .pass),
                Baseline.ex(GCPTypes.bucket, #"{"logging": null}"#, .violation),
            ]),
        types: [GCPTypes.bucket]
    ) { bucket, _ in
        .check(!(try bucket.string("logging.logBucket") ?? "").isEmpty, "Bucket \(bucket.name) writes no usage logs.")
    }

    static let datasetNotPublic = SwiftResourcePolicy(
        Baseline.descriptor("gcp-bigquery-dataset-not-public", "BigQuery datasets are not granted to allUsers or allAuthenticatedUsers.", .critical,
            rationale: "A public dataset exposes every table in it to anyone on the internet.",
            remediation: "Remove `allUsers` / `allAuthenticatedUsers` from `accesses`, `DatasetAccess`, `DatasetIamMember` and `DatasetIamBinding`.",
            frameworks: [BaselineFrameworks.cisGCP("7.1"), nist("SC-7")],
            examples: [
                Baseline.ex("gcp:bigquery/dataset:Dataset", #"{"accesses": [{"role": "OWNER", "userByEmail": "a@example.com"}]}"#, .pass),
                Baseline.ex("gcp:bigquery/dataset:Dataset", #"{"accesses": [{"role": "READER", "specialGroup": "allAuthenticatedUsers"}]}"#, .violation),
                Baseline.ex("gcp:bigquery/datasetIamMember:DatasetIamMember", #"{"datasetId": "d", "member": "allUsers"}"#, .violation),
                Baseline.ex("gcp:bigquery/datasetAccess:DatasetAccess", #"{"datasetId": "d", "specialGroup": "projectReaders"}"#, .pass),
            ]),
        types: ["gcp:bigquery/dataset:Dataset", "gcp:bigquery/datasetIamMember:DatasetIamMember",
                "gcp:bigquery/datasetIamBinding:DatasetIamBinding", "gcp:bigquery/datasetAccess:DatasetAccess"]
    ) { dataset, _ in
        var members = try GCPTypes.members(of: dataset)
        for (i, access) in try dataset.value("accesses").elements.enumerated() {
            for key in ["specialGroup", "iamMember"] {
                if let member = try access[key].requireString("accesses[\(i)].\(key)") { members.append(member) }
            }
        }
        let open = members.filter(GCPTypes.isPublic)
        return .check(open.isEmpty, "BigQuery dataset \(dataset.name) is granted to \(open.joined(separator: ", ")).")
    }
}
