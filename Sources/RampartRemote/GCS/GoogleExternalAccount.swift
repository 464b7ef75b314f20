import Foundation
import RampartJSON

/// Workload identity federation (`"type": "external_account"`): what OIDC CI jobs use (google-github-actions/auth
/// writes such a file). A token from another identity provider — read from a file or fetched from a URL — is
/// exchanged at Google's Security Token Service for a federated access token, which may then impersonate a service
/// account. Executable- and AWS-sourced credentials are not read (a clear error says so).
struct GoogleExternalAccount: Sendable {
    /// Where the identity provider's token comes from.
    enum SubjectTokenSource: Sendable {
        case file(path: String)
        /// `headers` as the credentials file gives them (GitHub's request token goes here).
        case url(String, headers: [String: String])
    }

    var audience: String
    var subjectTokenType: String
    var tokenURL: String
    var impersonationURL: String?
    var source: SubjectTokenSource
    /// `credential_source.format`: nil for plain text, else the JSON field holding the token.
    var jsonField: String?

    static let stsScope = "https://www.googleapis.com/auth/cloud-platform"

    /// Reads the fields of an `external_account` file; `failure` makes an error naming the file.
    static func parse(_ root: JSONNode, failure: (String) -> RemoteError) throws(RemoteError) -> GoogleExternalAccount {
        func field(_ name: String) throws(RemoteError) -> String {
            guard let value = root[name]?.string, !value.isEmpty else { throw failure("has no string field '\(name)'") }
            return value
        }
        guard let credentialSource = root["credential_source"] else { throw failure("has no 'credential_source'") }
        let source: SubjectTokenSource
        if let file = credentialSource["file"]?.string, !file.isEmpty {
            source = .file(path: file)
        } else if let url = credentialSource["url"]?.string, !url.isEmpty {
            var headers: [String: String] = [:]
            if let declared = credentialSource["headers"] {
                for (name, value) in declared.members {
                    if let name = name.string, let value = value.string { headers[name] = value }
                }
            }
            source = .url(url, headers: headers)
        } else {
            throw failure("has a credential_source that is neither 'file' nor 'url' (executable and AWS sources are not supported)")
        }
        var jsonField: String?
        if let format = credentialSource["format"], format["type"]?.string == "json" {
            guard let name = format["subject_token_field_name"]?.string else {
                throw failure("has a JSON credential_source format without 'subject_token_field_name'")
            }
            jsonField = name
        }
        return GoogleExternalAccount(audience: try field("audience"), subjectTokenType: try field("subject_token_type"),
                                     tokenURL: root["token_url"]?.string ?? "https://sts.googleapis.com/v1/token",
                                     impersonationURL: root["service_account_impersonation_url"]?.string, source: source,
                                     jsonField: jsonField)
    }

    /// The access token: subject token → STS exchange → (optionally) service-account impersonation.
    func token(transport: HTTPTransport, location: String, now: Date) async throws(RemoteError) -> GoogleAccessToken {
        let subject = try await subjectToken(transport: transport, location: location)
        let exchange = GoogleTokenProvider.formPost(tokenURL, [
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "audience": audience,
            "scope": impersonationURL == nil ? GoogleCredentials.scope : Self.stsScope,
            "requested_token_type": "urn:ietf:params:oauth:token-type:access_token",
            "subject_token_type": subjectTokenType, "subject_token": subject,
        ])
        let federated = try await GoogleTokenProvider.exchange(exchange, source: "the security token service \(tokenURL)",
                                                               transport: transport, location: location, now: now)
        guard let impersonationURL else { return federated }
        var body = JSONWriter()
        body.beginObject()
        body.key("scope"); body.beginArray(); body.string(GoogleCredentials.scope); body.endArray()
        body.key("lifetime"); body.string("3600s")
        body.endObject()
        let request = HTTPRequest(method: "POST", url: impersonationURL,
                                  headers: [("Authorization", "Bearer " + federated.value), ("Content-Type", "application/json")],
                                  body: body.bytes)
        let source = "service account impersonation at \(impersonationURL)"
        let response = try await GoogleTokenProvider.send(request, source: source, transport: transport, location: location)
        guard let root = try? JSONDocument.parse(response.body).root, let value = root["accessToken"]?.string, !value.isEmpty else {
            throw .unexpectedResponse(location: location, reason: "\(source) answered without an accessToken")
        }
        let expiry = root["expireTime"]?.string.flatMap(GCSStore.date) ?? now.addingTimeInterval(3600)
        return GoogleAccessToken(value: value, expiry: expiry)
    }

    /// The identity provider's token, as text or the JSON field the format names.
    func subjectToken(transport: HTTPTransport, location: String) async throws(RemoteError) -> String {
        let bytes: [UInt8]
        let origin: String
        switch source {
        case .file(let path):
            origin = "the subject token file \(path)"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .noCredentials(location: location, hint: "external_account: \(origin) cannot be read")
            }
            bytes = Array(data)
        case .url(let url, let headers):
            // The URL's query may carry the audience; name only its host and path in messages.
            origin = "the subject token URL " + (url.split(separator: "?").first.map(String.init) ?? url)
            let request = HTTPRequest(url: url, headers: headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
            bytes = try await GoogleTokenProvider.send(request, source: origin, transport: transport, location: location).body
        }
        let token: String?
        if let jsonField {
            token = (try? JSONDocument.parse(bytes).root)?[jsonField]?.string
        } else {
            token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let token, !token.isEmpty else {
            throw .noCredentials(location: location, hint: "external_account: \(origin) holds no subject token"
                                 + (jsonField.map { " in field '\($0)'" } ?? ""))
        }
        return token
    }
}
