import Foundation
import RampartJSON
import RampartModel

/// Reads the settings of the bucket behind a `gs://` backend into `StateBucket`: the bucket resource (encryption,
/// versioning, uniform bucket-level access, public access prevention, ACLs, logging) and its IAM policy. A part
/// the credentials may not read leaves the settings that need it `.unreadable`, never guessed.
struct GCSBucketSettingsReader {
    let store: GCSStore

    /// Members that make a grant public.
    static let publicMembers: Set<String> = ["allUsers", "allAuthenticatedUsers"]

    func read(location: String) async throws(RemoteError) -> StateBucket {
        let bucketLocation = store.bucketURL
        // projection=full includes the ACLs; it needs the right to read them, so a refusal falls back to noAcl.
        var resource = try await part("bucket resource", store.bucketResource + "?projection=full", location: bucketLocation)
        var aclRefusal: String?
        if case .unreadable(let reason) = resource {
            aclRefusal = reason
            resource = try await part("bucket resource", store.bucketResource + "?projection=noAcl", location: bucketLocation)
        }
        let iam = try await part("IAM policy", store.bucketResource + "/iam", location: bucketLocation)

        var bucket = StateBucket(location: location, service: .gcs, name: store.bucket, encryption: .unreadable(""),
                                 versioning: .unreadable(""), publicAccess: .unreadable(""), accessLogging: .unreadable(""))
        switch resource {
        case .unreadable(let reason):
            bucket.encryption = .unreadable(reason)
            bucket.versioning = .unreadable(reason)
            bucket.publicAccess = .unreadable(reason)
            bucket.accessLogging = .unreadable(reason)
        case .known(let root):
            bucket.encryption = .known(Self.encryption(root))
            bucket.versioning = .known(root["versioning"]?["enabled"]?.bool ?? false)
            bucket.accessLogging = .known(Self.logDestination(root))
            bucket.publicAccess = Self.publicAccess(root, aclRefusal: aclRefusal, iam: iam)
        }
        return bucket
    }

    /// GCS always encrypts at rest: with Google's keys unless a Cloud KMS key is the bucket's default (CMEK).
    static func encryption(_ root: JSONNode) -> StateBucket.Encryption {
        if let key = root["encryption"]?["defaultKmsKeyName"]?.string, !key.isEmpty {
            return StateBucket.Encryption(algorithm: "cloud-kms", customerManagedKey: key)
        }
        return StateBucket.Encryption(algorithm: "google-managed")
    }

    /// `gs://LOG_BUCKET[/PREFIX]`, nil when usage logging is off.
    static func logDestination(_ root: JSONNode) -> String? {
        guard let logBucket = root["logging"]?["logBucket"]?.string, !logBucket.isEmpty else { return nil }
        let prefix = root["logging"]?["logObjectPrefix"]?.string ?? ""
        return "gs://" + logBucket + (prefix.isEmpty ? "" : "/" + prefix)
    }

    /// Blocked when uniform bucket-level access is on (ACLs no longer apply) and public access prevention is
    /// enforced; grants are IAM bindings and, without uniform access, ACL entries for allUsers/allAuthenticatedUsers.
    static func publicAccess(_ root: JSONNode, aclRefusal: String?, iam: Part) -> StateBucket.Reading<StateBucket.PublicAccess> {
        let configuration = root["iamConfiguration"]
        let uniform = configuration?["uniformBucketLevelAccess"]?["enabled"]?.bool ?? false
        let prevention = configuration?["publicAccessPrevention"]?.string ?? "inherited"
        var grants: [String] = []
        switch iam {
        case .unreadable(let reason):
            return .unreadable(reason)
        case .known(let policy):
            for binding in policy["bindings"].map({ Array($0.elements) }) ?? [] {
                let role = binding["role"]?.string ?? "a role"
                for member in binding["members"].map({ Array($0.elements) }) ?? [] {
                    if let member = member.string, publicMembers.contains(member) {
                        grants.append("IAM binding grants \(role) to \(member)")
                    }
                }
            }
        }
        if !uniform {
            if let aclRefusal { return .unreadable("bucket ACLs (uniform bucket-level access is off): \(aclRefusal)") }
            for (field, what) in [("acl", "bucket ACL"), ("defaultObjectAcl", "default object ACL")] {
                for entry in root[field].map({ Array($0.elements) }) ?? [] {
                    if let entity = entry["entity"]?.string, publicMembers.contains(entity) {
                        grants.append("\(what) grants \(entry["role"]?.string ?? "access") to \(entity)")
                    }
                }
            }
        }
        return .known(StateBucket.PublicAccess(blocked: uniform && prevention == "enforced", publicGrants: grants))
    }

    /// A part of the configuration as fetched: its JSON, or why the credentials may not read it.
    enum Part {
        case known(JSONNode)
        case unreadable(String)
    }

    /// One JSON part of the bucket's configuration; a refusal (401/403) is `.unreadable`, other failures throw.
    private func part(_ name: String, _ url: String, location: String) async throws(RemoteError) -> Part {
        let response = try await store.send(url, location: location)
        if response.status == 401 || response.status == 403 {
            let message = GCSStore.errorMessage(response.body)
            return .unreadable("\(name): HTTP \(response.status)" + (message.isEmpty ? "" : " \(message)"))
        }
        guard response.isSuccess else {
            throw .status(location: location, code: response.status, message: "\(name): " + GCSStore.errorMessage(response.body))
        }
        do { return .known(try JSONDocument.parse(response.body).root) } catch {
            throw .unexpectedResponse(location: location, reason: "\(name) is not JSON (\(error))")
        }
    }
}
