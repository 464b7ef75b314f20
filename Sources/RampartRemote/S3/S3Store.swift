import Foundation
import RampartInputs

/// Where and how one bucket is reached: region, endpoint, addressing style, credentials — settled once per input.
struct S3Target: Sendable {
    var bucket: String
    var region: String
    /// `https://s3.eu-west-1.amazonaws.com`, or the endpoint override (`http://127.0.0.1:9000`).
    var endpoint: URLComponents
    /// `endpoint/bucket/key` rather than `bucket.endpoint/key`: with `s3ForcePathStyle=true`, a custom endpoint, or a
    /// bucket name with dots (which virtual-host TLS certificates do not cover).
    var pathStyle: Bool
    var credentials: AWSCredentials

    /// Settles the target of `s3://BUCKET?…`: region from `?region=`, the environment, the profile, else asked of the
    /// bucket (`x-amz-bucket-region`), else us-east-1; endpoint from `?endpoint=`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`.
    static func resolve(bucket: String, options: [String: String], input: String, environment: RemoteEnvironment,
                        transport: HTTPTransport) async throws(RemoteError) -> S3Target {
        let chain = AWSCredentialChain(environment: environment, transport: transport)
        let location = "s3://\(bucket)"
        let credentials = try await chain.credentials(profile: options["profile"], location: location)
        let custom = (options["endpoint"].flatMap { $0.isEmpty ? nil : $0 }) ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        var endpoint: URLComponents?
        if let custom {
            let withScheme = custom.contains("://") ? custom : (options["disableSSL"] == "true" ? "http://" : "https://") + custom
            guard let parsed = URLComponents(string: withScheme), parsed.host?.isEmpty == false,
                  parsed.scheme == "http" || parsed.scheme == "https" else {
                throw .invalidLocation(input, reason: "the S3 endpoint is not an http(s) URL")
            }
            endpoint = parsed
        }
        let forced = ["true", "1"].contains(options["s3ForcePathStyle"]?.lowercased() ?? "")
        let pathStyle = forced || custom != nil || bucket.contains(".")
        var region = options["region"].flatMap { $0.isEmpty ? nil : $0 } ?? chain.region(profile: options["profile"])
        if region == nil && custom == nil {
            region = await discoverRegion(bucket: bucket, credentials: credentials, transport: transport, scheme: options["disableSSL"] == "true" ? "http" : "https")
        }
        let settled = region ?? "us-east-1"
        if endpoint == nil {
            var components = URLComponents()
            components.scheme = options["disableSSL"] == "true" ? "http" : "https"
            components.host = settled == "us-east-1" ? "s3.amazonaws.com" : "s3.\(settled).amazonaws.com"
            endpoint = components
        }
        return S3Target(bucket: bucket, region: settled, endpoint: endpoint!, pathStyle: pathStyle, credentials: credentials)
    }

    /// The bucket's region as S3 tells it in `x-amz-bucket-region` (on a 200, a 301 redirect or a 403 alike); nil
    /// when it does not say.
    private static func discoverRegion(bucket: String, credentials: AWSCredentials, transport: HTTPTransport, scheme: String) async -> String? {
        let signer = SigV4(credentials: credentials, region: "us-east-1", service: "s3")
        let request = AWSRequest(method: "HEAD", scheme: scheme, host: "s3.amazonaws.com", path: "/\(bucket)")
        guard let response = try? await transport.send(signer.sign(request), location: "s3://\(bucket)") else { return nil }
        return response.header("x-amz-bucket-region").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The request for `key` (empty: the bucket itself) with `query`, signed.
    func request(key: String, query: [(name: String, value: String)], method: String = "GET") -> HTTPRequest {
        let host = endpoint.host ?? ""
        let hostPort = endpoint.port.map { "\(host):\($0)" } ?? host
        let base = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        let request: AWSRequest
        if pathStyle {
            request = AWSRequest(method: method, scheme: endpoint.scheme ?? "https", host: hostPort,
                                 path: "\(base)/\(bucket)" + (key.isEmpty ? "/" : "/\(key)"), query: query)
        } else {
            request = AWSRequest(method: method, scheme: endpoint.scheme ?? "https", host: "\(bucket).\(hostPort)",
                                 path: "\(base)/\(key)", query: query)
        }
        return SigV4(credentials: credentials, region: region, service: "s3").sign(request)
    }

    /// Sends a request about `key`; returns the response whatever its status (the caller decides what a 404 means).
    func send(key: String = "", query: [(name: String, value: String)], transport: HTTPTransport) async throws(RemoteError) -> HTTPResponse {
        try await transport.send(request(key: key, query: query), location: "s3://\(bucket)" + (key.isEmpty ? "" : "/\(key)"))
    }

    /// The error for a non-success answer: the status and S3's error code only (its messages may quote the request).
    func failure(_ response: HTTPResponse, key: String = "", what: String = "") -> RemoteError {
        let code = XMLText(response.body).first("Code") ?? ""
        return .status(location: "s3://\(bucket)" + (key.isEmpty ? "" : "/\(key)") + what, code: response.status, message: code)
    }
}

/// A bucket read through the S3 API (ListObjectsV2 and GetObject, signed with SigV4).
struct S3Store: ObjectStore {
    let target: S3Target
    let transport: HTTPTransport

    var bucketURL: String { "s3://\(target.bucket)" }

    func list(prefix: String) async throws(RemoteError) -> [StoredObject] {
        var objects: [StoredObject] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await target.send(query: query, transport: transport)
            guard response.isSuccess else { throw target.failure(response, what: " (ListObjectsV2)") }
            let xml = XMLText(response.body)
            for entry in xml.all("Contents") {
                let item = XMLText(entry)
                guard let key = item.first("Key") else { continue }
                let modified = item.first("LastModified").flatMap(Self.parseDate) ?? Date(timeIntervalSince1970: 0)
                objects.append(StoredObject(key: key, modified: modified))
            }
            let truncated = xml.first("IsTruncated") == "true"
            token = truncated ? xml.first("NextContinuationToken") : nil
            if truncated && token == nil {
                throw .unexpectedResponse(location: bucketURL, reason: "a truncated listing without NextContinuationToken")
            }
        } while token != nil
        return objects
    }

    func get(key: String) async throws(RemoteError) -> [UInt8] {
        let response = try await target.send(key: key, query: [], transport: transport)
        guard response.isSuccess else { throw target.failure(response, key: key) }
        return response.body
    }

    /// `2026-01-02T03:04:05.000Z`, with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
