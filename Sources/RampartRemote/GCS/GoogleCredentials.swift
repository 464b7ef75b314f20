import Foundation
import RampartJSON

/// How requests to Google Cloud Storage are authorised, found the way Google's client libraries find Application
/// Default Credentials: an emulator (`STORAGE_EMULATOR_HOST`, no authorisation), the key file named by
/// `GOOGLE_APPLICATION_CREDENTIALS`, gcloud's application default credentials file, else the metadata server of the
/// machine the job runs on (Compute Engine, Cloud Run, GKE workload identity). gcloud's
/// `CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE` moves the API (private endpoints) with the same credentials.
///
/// The secrets (private key, refresh token, client secret) live only in these values and in request bodies; no
/// error or description ever formats them.
enum GoogleCredentials: Sendable {
    /// A storage emulator: requests go to its host, unauthorised.
    case emulator
    /// A service account's key (`"type": "service_account"`): a signed JWT exchanged for an access token.
    case serviceAccount(ServiceAccountKey)
    /// A user's gcloud login (`"type": "authorized_user"`): a refresh token exchanged for an access token.
    case authorizedUser(AuthorizedUser)
    /// Workload identity federation (`"type": "external_account"`).
    case externalAccount(GoogleExternalAccount)
    /// The metadata server at `host` hands out the attached service account's tokens.
    case metadataServer(host: String)

    /// The read-only storage scope: a scan never writes.
    static let scope = "https://www.googleapis.com/auth/devstorage.read_only"
    static let defaultTokenURI = "https://oauth2.googleapis.com/token"
    static let defaultMetadataHost = "metadata.google.internal"

    /// A service-account key file's fields that matter here.
    struct ServiceAccountKey: Sendable {
        var clientEmail: String
        var privateKeyPEM: String
        var privateKeyID: String?
        var tokenURI: String
    }

    /// An `authorized_user` credentials file's fields.
    struct AuthorizedUser: Sendable {
        var clientID: String
        var clientSecret: String
        var refreshToken: String
        var tokenURI: String
    }

    /// Where the sources are looked for, for the error when none gives credentials.
    static let searchedSources = "set STORAGE_EMULATOR_HOST for an emulator, GOOGLE_APPLICATION_CREDENTIALS to a "
        + "service_account, authorized_user or external_account credentials file, log in with `gcloud auth application-default login`, or run "
        + "where the metadata server (GCE_METADATA_HOST, else metadata.google.internal) hands out tokens"

    /// The API base and credentials `environment` gives; `location` names the input in errors.
    static func resolve(_ environment: RemoteEnvironment, location: String) throws(RemoteError)
        -> (apiBase: String, credentials: GoogleCredentials) {
        if let host = environment["STORAGE_EMULATOR_HOST"] {
            var base = host.contains("://") ? host : "http://" + host
            while base.hasSuffix("/") { base.removeLast() }
            return (base, .emulator)
        }
        let apiBase = environment["CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE"].map(Self.apiBase(fromOverride:))
            ?? "https://storage.googleapis.com"
        if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"] {
            return (apiBase, try keyFile(at: path, variable: "GOOGLE_APPLICATION_CREDENTIALS", location: location))
        }
        let configDirectory = environment["CLOUDSDK_CONFIG"] ?? environment.homeDirectory + "/.config/gcloud"
        let wellKnown = configDirectory + "/application_default_credentials.json"
        if FileManager.default.fileExists(atPath: wellKnown) {
            return (apiBase, try keyFile(at: wellKnown, variable: "gcloud's application default credentials", location: location))
        }
        return (apiBase, .metadataServer(host: environment["GCE_METADATA_HOST"] ?? defaultMetadataHost))
    }

    /// gcloud's storage endpoint override (`https://storage-psc.p.googleapis.com/storage/v1/` for a Private Service
    /// Connect endpoint) as an API base: without the trailing `/storage/v1/`, which the requests add.
    static func apiBase(fromOverride value: String) -> String {
        var base = value
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/storage/v1") { base.removeLast("/storage/v1".count) }
        return base
    }

    /// Reads a credentials file (`service_account`, `authorized_user` or `external_account`). Errors name the file and the field, never
    /// a value from it.
    static func keyFile(at path: String, variable: String, location: String) throws(RemoteError) -> GoogleCredentials {
        func failure(_ reason: String) -> RemoteError {
            .noCredentials(location: location, hint: "\(variable) names \(path), which \(reason)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot be read") }
        let root: JSONNode
        do { root = try JSONDocument.parse(Array(data)).root } catch {
            throw failure("is not JSON (line \(error.line), column \(error.column))")
        }
        func field(_ name: String) throws(RemoteError) -> String {
            guard let value = root[name]?.string, !value.isEmpty else { throw failure("has no string field '\(name)'") }
            return value
        }
        let type = try field("type")
        switch type {
        case "service_account":
            return .serviceAccount(ServiceAccountKey(clientEmail: try field("client_email"), privateKeyPEM: try field("private_key"),
                                                     privateKeyID: root["private_key_id"]?.string,
                                                     tokenURI: root["token_uri"]?.string ?? defaultTokenURI))
        case "authorized_user":
            return .authorizedUser(AuthorizedUser(clientID: try field("client_id"), clientSecret: try field("client_secret"),
                                                  refreshToken: try field("refresh_token"),
                                                  tokenURI: root["token_uri"]?.string ?? defaultTokenURI))
        case "external_account":
            return .externalAccount(try GoogleExternalAccount.parse(root, failure: failure))
        default:
            throw failure("is of type '\(type)'; expected service_account, authorized_user or external_account")
        }
    }
}

/// An OAuth2 access token and when it stops being valid.
struct GoogleAccessToken: Sendable {
    var value: String
    var expiry: Date
}

/// Hands out access tokens for one set of credentials, fetching one when none is cached or the cached one expires
/// within a minute. Concurrent callers share one fetch.
actor GoogleTokenProvider {
    let credentials: GoogleCredentials
    let transport: HTTPTransport
    /// Names the input in errors.
    let location: String
    private let now: @Sendable () -> Date
    private var cached: GoogleAccessToken?
    private var inFlight: Task<Result<GoogleAccessToken, RemoteError>, Never>?

    init(credentials: GoogleCredentials, transport: HTTPTransport, location: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.credentials = credentials
        self.transport = transport
        self.location = location
        self.now = now
    }

    /// The `Authorization` header value for the next request; nil for an emulator.
    func authorization() async throws(RemoteError) -> String? {
        if case .emulator = credentials { return nil }
        return "Bearer " + (try await token().value)
    }

    /// A valid access token, cached until a minute before it expires.
    func token() async throws(RemoteError) -> GoogleAccessToken {
        if let cached, cached.expiry.timeIntervalSince(now()) > 60 { return cached }
        let task: Task<Result<GoogleAccessToken, RemoteError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            let credentials = credentials, transport = transport, location = location, issuedAt = now()
            task = Task(executorPreference: RemoteExecutor.shared) {
                do throws(RemoteError) {
                    return .success(try await Self.fetch(credentials, transport: transport, location: location, now: issuedAt))
                } catch { return .failure(error) }
            }
            inFlight = task
        }
        let result = await task.value
        if inFlight == task { inFlight = nil }
        let token = try result.get()
        cached = token
        return token
    }

    /// Asks the credentials' token source for a new token.
    static func fetch(_ credentials: GoogleCredentials, transport: HTTPTransport, location: String, now: Date)
        async throws(RemoteError) -> GoogleAccessToken {
        switch credentials {
        case .emulator:
            return GoogleAccessToken(value: "", expiry: .distantFuture)
        case .serviceAccount(let key):
            let assertion = try ServiceAccountJWT.assertion(for: key, scope: GoogleCredentials.scope, issuedAt: now, location: location)
            return try await exchange(formPost(key.tokenURI, ["grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion]),
                                      source: "the token endpoint \(key.tokenURI) (service account \(key.clientEmail))",
                                      transport: transport, location: location, now: now)
        case .authorizedUser(let user):
            return try await exchange(formPost(user.tokenURI, ["grant_type": "refresh_token", "client_id": user.clientID,
                                                               "client_secret": user.clientSecret, "refresh_token": user.refreshToken]),
                                      source: "the token endpoint \(user.tokenURI) (authorized_user)",
                                      transport: transport, location: location, now: now)
        case .externalAccount(let account):
            return try await account.token(transport: transport, location: location, now: now)
        case .metadataServer(let host):
            let base = host.contains("://") ? host : "http://" + host
            let request = HTTPRequest(url: base + "/computeMetadata/v1/instance/service-accounts/default/token",
                                      headers: [("Metadata-Flavor", "Google")])
            do {
                return try await exchange(request, source: "the metadata server \(host)", transport: transport, location: location, now: now)
            } catch {
                // No metadata server here: the usual case off Google Cloud, so say where credentials are looked for.
                guard case .transport = error else { throw error }
                throw .noCredentials(location: location, hint: "\(GoogleCredentials.searchedSources) (\(error.reasonText))")
            }
        }
    }

    /// Sends a token request and reads the OAuth2 answer (`access_token`, `expires_in`).
    static func exchange(_ request: HTTPRequest, source: String, transport: HTTPTransport, location: String, now: Date)
        async throws(RemoteError) -> GoogleAccessToken {
        let response = try await send(request, source: source, transport: transport, location: location)
        guard let root = try? JSONDocument.parse(response.body).root, let value = root["access_token"]?.string, !value.isEmpty else {
            throw .unexpectedResponse(location: location, reason: "\(source) answered without an access_token")
        }
        let lifetime = root["expires_in"]?.number ?? 3600
        return GoogleAccessToken(value: value, expiry: now.addingTimeInterval(max(0, lifetime)))
    }

    /// Sends a request of the token flow; a transport failure or a final non-success status names `source` (never
    /// the request, which holds the credentials).
    static func send(_ request: HTTPRequest, source: String, transport: HTTPTransport, location: String)
        async throws(RemoteError) -> HTTPResponse {
        let response: HTTPResponse
        do { response = try await transport.send(request, location: location) } catch {
            throw .transport(location: location, reason: "\(source): \(error.reasonText)")
        }
        guard response.isSuccess else {
            throw .status(location: location, code: response.status, message: "from \(source): " + oauthMessage(response.body))
        }
        return response
    }

    /// A form-encoded POST.
    static func formPost(_ url: String, _ fields: [String: String]) -> HTTPRequest {
        let body = fields.sorted { $0.key < $1.key }
            .map { URLComponentEncoding.escape($0.key) + "=" + URLComponentEncoding.escape($0.value) }
            .joined(separator: "&")
        return HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                           body: Array(body.utf8))
    }

    /// The OAuth error code and description (`invalid_grant: Invalid JWT Signature.`); never the request.
    static func oauthMessage(_ body: [UInt8]) -> String {
        guard let root = try? JSONDocument.parse(body).root else { return "" }
        if let code = root["error"]?.string {
            return [code, root["error_description"]?.string].compactMap { $0 }.joined(separator: ": ")
        }
        return GCSStore.errorMessage(body)
    }
}
