import RampartModel
import RampartPolicy

/// `builtin:gcp`: Google Cloud hardening checks for the `gcp` provider (CIS Google Cloud Platform Foundation,
/// CIS GKE), and for google-native resources where a check has a google-native twin (firewall policies). Absent properties mean the provider's default; unknown (preview) or encrypted values give
/// `indeterminate`. IAM grants and sinks are joined to their bucket, dataset or project by property dependency
/// first, then by name.
public enum GCPBaseline {
    public static let packName = "gcp"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "Google Cloud baseline (CIS Google Cloud Platform Foundation, CIS GKE) for gcp (and google-native) provider resources.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(packName)")
    }

    static var policies: [any Policy] {
        storagePolicies + computePolicies + firewallPolicyPolicies + dataPolicies + clusterPolicies + iamPolicies + publicGrantPolicies
    }
}

/// Type tokens and principals of the gcp provider.
enum GCPTypes {
    static let bucket = "gcp:storage/bucket:Bucket"
    static let instance = "gcp:compute/instance:Instance"
    static let instanceTemplates = ["gcp:compute/instanceTemplate:InstanceTemplate", "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"]
    static let sqlInstance = "gcp:sql/databaseInstance:DatabaseInstance"
    static let cluster = "gcp:container/cluster:Cluster"

    /// Principals that mean "anyone" (`allUsers`) or "anyone with a Google account" (`allAuthenticatedUsers`).
    static func isPublic(_ member: String) -> Bool {
        let m = member.lowercased()
        return m == "allusers" || m == "allauthenticatedusers" || m.hasSuffix(":allusers") || m.hasSuffix(":allauthenticatedusers")
    }

    /// The members an IAM member, binding or access resource grants (`member`, `members[]`, `entity`,
    /// `roleEntities[]`, `specialGroup`, `iamMember`); throws when one is not known.
    static func members(of grant: ResourceContext) throws(PolicyControl) -> [String] {
        var result: [String] = []
        for key in ["member", "entity", "specialGroup", "iamMember"] {
            if let value = try grant.string(key) { result.append(value) }
        }
        for key in ["members", "roleEntities"] {
            for (i, element) in try grant.value(key).elements.enumerated() {
                guard let text = try element.requireString("\(key)[\(i)]") else { continue }
                // BucketACL role entities read `READER:allUsers`.
                result.append(key == "roleEntities" ? String(text.split(separator: ":").last ?? Substring(text)) : text)
            }
        }
        return result
    }
}
