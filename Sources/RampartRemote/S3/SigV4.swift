import Crypto
import Foundation

/// AWS credentials. `description` never shows the secret key or the session token.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where they were found (`environment`, `profile 'ci'`, `web identity`), for messages.
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String { "AWS credentials from \(source)" }
}

/// A request to sign, in parts: the URL is built from the same encoded path and query that are signed, so what is
/// sent is exactly what was signed.
public struct AWSRequest: Sendable {
    public var method: String
    /// `https` or `http`.
    public var scheme: String
    /// Host, with `:port` when not the scheme's default.
    public var host: String
    /// The path, not encoded (`/bucket/team/.pulumi/stacks/app/dev.json`); each segment is encoded once when signed.
    public var path: String
    /// Query parameters, not encoded; a parameter without a value (`?versioning`) has an empty one.
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String = "GET", scheme: String = "https", host: String, path: String = "/",
                query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The path as signed and sent: each segment encoded with the RFC 3986 unreserved set, `/` kept.
    public var encodedPath: String {
        let path = self.path.hasPrefix("/") ? self.path : "/" + self.path
        return path.split(separator: "/", omittingEmptySubsequences: false).map { SigV4.encode(String($0)) }.joined(separator: "/")
    }

    /// The query as signed and sent: names and values encoded, sorted by name then value.
    public var canonicalQuery: String {
        var pairs: [(name: String, value: String)] = []
        for parameter in query { pairs.append((name: SigV4.encode(parameter.name), value: SigV4.encode(parameter.value))) }
        pairs.sort { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        return pairs.map { (pair: (name: String, value: String)) -> String in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    public var url: String {
        let query = canonicalQuery
        return "\(scheme)://\(host)\(encodedPath)" + (query.isEmpty ? "" : "?" + query)
    }
}

/// AWS Signature Version 4 (header form): the canonical request, the string to sign, the derived key and the
/// `Authorization` header. S3 requests also sign `x-amz-content-sha256`.
public struct SigV4: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    /// Add and sign `x-amz-content-sha256` (S3 requires it).
    public var signsContentHash: Bool

    public init(credentials: AWSCredentials, region: String, service: String, signsContentHash: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.signsContentHash = signsContentHash ?? (service == "s3")
    }

    /// The request with `host`, `x-amz-date`, the session token, the content hash (S3) and `Authorization` added.
    public func sign(_ request: AWSRequest, date: Date = Date()) -> HTTPRequest {
        let stamp = Self.timestamp(date)
        let payloadHash = Self.hex(SHA256.hash(data: request.body))
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) { headers.append((name: "host", value: request.host)) }
        headers.append((name: "x-amz-date", value: stamp))
        if signsContentHash { headers.append((name: "x-amz-content-sha256", value: payloadHash)) }
        if let token = credentials.sessionToken { headers.append((name: "x-amz-security-token", value: token)) }
        let authorization = self.authorization(request, headers: headers, payloadHash: payloadHash, timestamp: stamp)
        headers.append((name: "Authorization", value: authorization))
        return HTTPRequest(method: request.method, url: request.url, headers: headers, body: request.body)
    }

    /// The `Authorization` header value for a request whose headers (all signed) are given.
    public func authorization(_ request: AWSRequest, headers: [(name: String, value: String)], payloadHash: String, timestamp: String) -> String {
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let (canonical, signed) = Self.canonicalRequest(request, headers: headers, payloadHash: payloadHash)
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(Self.hex(SHA256.hash(data: Array(canonical.utf8))))"
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signed), Signature=\(signature)"
    }

    /// The canonical request and the signed header names (`host;x-amz-date`).
    static func canonicalRequest(_ request: AWSRequest, headers: [(name: String, value: String)], payloadHash: String) -> (String, String) {
        var merged: [String: [String]] = [:]
        for header in headers {
            // Values trimmed, inner runs of spaces folded to one, as the canonical form requires.
            let value = header.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let text = [request.method, request.encodedPath, request.canonicalQuery, canonicalHeaders, signed, payloadHash].joined(separator: "\n")
        return (text, signed)
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 1970)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    /// Percent-encodes everything outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`), byte by byte of UTF-8.
    public static func encode(_ text: String) -> String { URLComponentEncoding.escape(text) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
