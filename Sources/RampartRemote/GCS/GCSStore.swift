import Foundation
import RampartInputs
import RampartJSON

/// A Google Cloud Storage bucket through the JSON API (`/storage/v1/b/BUCKET/o`), read by `ObjectStoreCatalog` like
/// a backend directory. Works against storage.googleapis.com or an emulator (`STORAGE_EMULATOR_HOST`).
public struct GCSStore: ObjectStore {
    public let bucket: String
    /// `https://storage.googleapis.com`, or the emulator's base.
    let apiBase: String
    let tokens: GoogleTokenProvider
    let transport: HTTPTransport

    public var bucketURL: String { "gs://" + bucket }

    /// A store for `bucket` with the credentials `environment` gives (errors when it gives none that can be used).
    public init(bucket: String, environment: RemoteEnvironment, transport: HTTPTransport) throws(RemoteError) {
        let resolved = try GoogleCredentials.resolve(environment, location: "gs://" + bucket)
        // The metadata server answers at once or not at all: a short, twice-tried request, so a machine without one
        // gets the "no credentials" error in seconds rather than after the storage retries.
        var tokenTransport = transport
        if case .metadataServer = resolved.credentials {
            tokenTransport = HTTPTransport(retry: RetryPolicy(attempts: 2, baseDelay: .milliseconds(100), maxDelay: .seconds(1),
                                                              timeout: .seconds(3)))
        }
        self.init(bucket: bucket, apiBase: resolved.apiBase,
                  tokens: GoogleTokenProvider(credentials: resolved.credentials, transport: tokenTransport, location: "gs://" + bucket),
                  transport: transport)
    }

    init(bucket: String, apiBase: String, tokens: GoogleTokenProvider, transport: HTTPTransport) {
        self.bucket = bucket
        self.apiBase = apiBase
        self.tokens = tokens
        self.transport = transport
    }

    /// `…/storage/v1/b/BUCKET` — the bucket resource; objects, IAM policy and so on hang below it.
    var bucketResource: String { apiBase + "/storage/v1/b/" + URLComponentEncoding.escape(bucket) }

    public func list(prefix: String) async throws(RemoteError) -> [StoredObject] {
        var objects: [StoredObject] = []
        var pageToken: String?
        repeat {
            var url = bucketResource + "/o?prefix=" + URLComponentEncoding.escape(prefix)
            if let pageToken { url += "&pageToken=" + URLComponentEncoding.escape(pageToken) }
            let body = try await get(url, location: bucketURL + "/" + prefix)
            let root: JSONNode
            do { root = try JSONDocument.parse(body).root } catch {
                throw .unexpectedResponse(location: bucketURL + "/" + prefix, reason: "object listing is not JSON (\(error))")
            }
            // The API leaves `items` out of an empty page.
            for item in root["items"].map({ Array($0.elements) }) ?? [] {
                guard let name = item["name"]?.string else {
                    throw .unexpectedResponse(location: bucketURL + "/" + prefix, reason: "an object in the listing has no name")
                }
                let modified = item["updated"]?.string.flatMap(Self.date) ?? Date(timeIntervalSince1970: 0)
                objects.append(StoredObject(key: name, modified: modified))
            }
            pageToken = root["nextPageToken"]?.string
            if pageToken?.isEmpty == true { pageToken = nil }
        } while pageToken != nil
        return objects
    }

    public func get(key: String) async throws(RemoteError) -> [UInt8] {
        try await get(bucketResource + "/o/" + URLComponentEncoding.escape(key) + "?alt=media", location: bucketURL + "/" + key)
    }

    /// One authorised GET; a final non-success status is an error naming `location` and the API's message.
    func get(_ url: String, location: String) async throws(RemoteError) -> [UInt8] {
        let response = try await send(url, location: location)
        guard response.isSuccess else {
            throw .status(location: location, code: response.status, message: Self.errorMessage(response.body))
        }
        return response.body
    }

    /// One authorised GET, any final status returned.
    func send(_ url: String, location: String) async throws(RemoteError) -> HTTPResponse {
        var request = HTTPRequest(url: url)
        if let authorization = try await tokens.authorization() { request.headers.append((name: "Authorization", value: authorization)) }
        return try await transport.send(request, location: location)
    }

    /// The message of a JSON API error body (`{"error": {"code": 403, "message": "…"}}`), else empty.
    static func errorMessage(_ body: [UInt8]) -> String {
        guard let root = try? JSONDocument.parse(body).root else { return "" }
        return root["error"]?["message"]?.string ?? root["error"]?.string ?? ""
    }

    /// An RFC 3339 time as the API writes it (`2026-12-02T16:44:40.123Z`, fractional seconds optional).
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
