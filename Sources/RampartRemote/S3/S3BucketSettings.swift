import Foundation
import RampartModel

/// Reads the state bucket's hardening settings through the S3 API: GetBucketEncryption, GetBucketVersioning,
/// GetPublicAccessBlock with GetBucketAcl and GetBucketPolicy, GetBucketLogging. An answer the credentials may not
/// read (403) leaves that setting unreadable; "no configuration" answers (404 with S3's own code) are values.
struct S3BucketSettings {
    let target: S3Target
    let transport: HTTPTransport

    func read(location: String) async throws(RemoteError) -> StateBucket {
        StateBucket(location: location, service: .s3, name: target.bucket,
                    encryption: try await encryption(), versioning: try await versioning(),
                    publicAccess: try await publicAccess(), accessLogging: try await logging())
    }

    /// One sub-resource (`?encryption`): the body on success, nil on the given "not configured" code, else the reason.
    private func fetch(_ subresource: String, absent: String) async throws(RemoteError) -> StateBucket.Reading<XMLText?> {
        let response = try await target.send(query: [(subresource, "")], transport: transport)
        if response.isSuccess { return .known(XMLText(response.body)) }
        let code = XMLText(response.body).first("Code") ?? ""
        if response.status == 404 && code == absent { return .known(nil) }
        return .unreadable("Get\(Self.operation[subresource] ?? subresource) answered HTTP \(response.status)" + (code.isEmpty ? "" : " \(code)"))
    }

    private static let operation = ["encryption": "BucketEncryption", "versioning": "BucketVersioning", "publicAccessBlock": "PublicAccessBlock",
                                    "acl": "BucketAcl", "policy": "BucketPolicy", "logging": "BucketLogging"]

    func encryption() async throws(RemoteError) -> StateBucket.Reading<StateBucket.Encryption> {
        switch try await fetch("encryption", absent: "ServerSideEncryptionConfigurationNotFoundError") {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(nil): return .known(StateBucket.Encryption(algorithm: nil))
        case .known(let xml?):
            let rules = xml.all("ApplyServerSideEncryptionByDefault").map(XMLText.init)
            let rule = rules.first { $0.first("SSEAlgorithm")?.hasPrefix("aws:kms") == true } ?? rules.first
            let algorithm = rule?.first("SSEAlgorithm")
            let key = algorithm?.hasPrefix("aws:kms") == true ? rule?.first("KMSMasterKeyID").flatMap { $0.isEmpty ? nil : $0 } : nil
            return .known(StateBucket.Encryption(algorithm: algorithm, customerManagedKey: key))
        }
    }

    func versioning() async throws(RemoteError) -> StateBucket.Reading<Bool> {
        switch try await fetch("versioning", absent: "") {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(let xml): return .known(xml?.first("Status") == "Enabled")
        }
    }

    func publicAccess() async throws(RemoteError) -> StateBucket.Reading<StateBucket.PublicAccess> {
        let block = try await fetch("publicAccessBlock", absent: "NoSuchPublicAccessBlockConfiguration")
        let acl = try await fetch("acl", absent: "")
        let policy = try await fetch("policy", absent: "NoSuchBucketPolicy")
        var blocked = false
        var grants: [String] = []
        switch block {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(let xml):
            blocked = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"].allSatisfy { xml?.first($0) == "true" }
        }
        switch acl {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(let xml):
            for grant in (xml?.all("Grant") ?? []).map(XMLText.init) {
                guard let uri = grant.first("URI"), uri.hasSuffix("/global/AllUsers") || uri.hasSuffix("/global/AuthenticatedUsers") else { continue }
                grants.append("the ACL grants \(grant.first("Permission") ?? "access") to \(uri.split(separator: "/").last ?? "")")
            }
        }
        switch policy {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(let xml):
            if let text = xml?.text, Self.policyAllowsAnyone(text) {
                grants.append("the bucket policy allows anyone (Principal \"*\") without a condition")
            }
        }
        return .known(StateBucket.PublicAccess(blocked: blocked, publicGrants: grants))
    }

    func logging() async throws(RemoteError) -> StateBucket.Reading<String?> {
        switch try await fetch("logging", absent: "") {
        case .unreadable(let reason): return .unreadable(reason)
        case .known(let xml):
            guard let target = xml?.first("TargetBucket"), !target.isEmpty else { return .known(nil) }
            return .known("s3://\(target)/\(xml?.first("TargetPrefix") ?? "")")
        }
    }

    /// Whether a bucket policy (JSON) has an `Allow` statement for anyone (`"*"`, `{"AWS": "*"}`) without a condition.
    static func policyAllowsAnyone(_ text: String) -> Bool {
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return false }
        let statements: [[String: Any]]
        if let list = root["Statement"] as? [[String: Any]] { statements = list }
        else if let one = root["Statement"] as? [String: Any] { statements = [one] }
        else { return false }
        func anyone(_ principal: Any?) -> Bool {
            if let text = principal as? String { return text == "*" }
            if let list = principal as? [Any] { return list.contains { anyone($0) } }
            if let map = principal as? [String: Any] { return anyone(map["AWS"]) }
            return false
        }
        return statements.contains { statement in
            (statement["Effect"] as? String) == "Allow" && anyone(statement["Principal"])
                && ((statement["Condition"] as? [String: Any])?.isEmpty ?? true)
        }
    }
}
