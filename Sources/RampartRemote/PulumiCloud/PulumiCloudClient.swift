import Foundation
import RampartJSON

/// Requests to the Pulumi Cloud REST API: authorised with the account's token, sent through `HTTPTransport` (so
/// retried on throttling and server errors), answers parsed as JSON.
struct PulumiCloudClient: Sendable {
    let account: PulumiCloudAccount
    let transport: HTTPTransport

    /// Pages of a list are followed at most this many times: a server that always answers with a new
    /// `continuationToken` must not keep the run going forever.
    static let maxPages = 100_000

    /// The bytes of `GET path?query`. A final non-success status is thrown as `.status`; `location` names the request
    /// in errors (never the URL, whose query may be long, nor the token).
    func get(_ path: String, query: [(String, String)] = [], location: String) async throws(RemoteError) -> [UInt8] {
        let request = HTTPRequest(url: url(path, query: query), headers: [
            (name: "Authorization", value: "token \(account.token)"),
            (name: "Accept", value: "application/vnd.pulumi+8"),
            (name: "User-Agent", value: "rampart"),
        ])
        let response = try await transport.send(request, location: location)
        guard response.isSuccess else {
            throw .status(location: location, code: response.status, message: Self.message(response.body))
        }
        return response.body
    }

    /// `get`, parsed as a JSON object.
    func object(_ path: String, query: [(String, String)] = [], location: String) async throws(RemoteError) -> JSONDocument {
        let body = try await get(path, query: query, location: location)
        let document: JSONDocument
        do { document = try JSONDocument.parse(body) } catch {
            throw .unexpectedResponse(location: location, reason: "not JSON: \(error.description)")
        }
        guard document.root.kind == .object else {
            throw .unexpectedResponse(location: location, reason: "expected a JSON object at $")
        }
        return document
    }

    /// Every element of the array `key` over all pages of a list, following `continuationToken`.
    func list(_ path: String, query: [(String, String)] = [], key: String, location: String) async throws(RemoteError) -> [JSONNode] {
        var elements: [JSONNode] = []
        var token: String?
        var seen = Set<String>()
        for _ in 0..<Self.maxPages {
            let document = try await object(path, query: query + (token.map { [("continuationToken", $0)] } ?? []), location: location)
            guard let array = document.root[key], array.kind == .array else {
                throw .unexpectedResponse(location: location, reason: "expected an array at $.\(key)")
            }
            elements.append(contentsOf: array.elements)
            guard let next = document.root["continuationToken"]?.string, !next.isEmpty else { return elements }
            guard seen.insert(next).inserted else {
                throw .unexpectedResponse(location: location, reason: "the same continuationToken was returned twice")
            }
            token = next
        }
        throw .unexpectedResponse(location: location, reason: "more than \(Self.maxPages) pages")
    }

    func url(_ path: String, query: [(String, String)]) -> String {
        var url = account.baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// A path segment or query value, percent-encoded (org, project and stack names may hold any character but `/`).
    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The service's error message (`{"code": 403, "message": "…"}`), short, for the error text; empty when the body
    /// is not that shape. Only the `message` field is taken, never the body as a whole.
    static func message(_ body: [UInt8]) -> String {
        guard let document = try? JSONDocument.parse(body), let message = document.root["message"]?.string else { return "" }
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
