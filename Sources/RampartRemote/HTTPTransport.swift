import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request as the remote clients build it (they sign or authorise it before sending).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response, body read whole.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// When and how often a request is tried again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var attempts: Int
    /// The first back-off; each next one doubles, with full jitter.
    public var baseDelay: Duration
    /// The longest wait between attempts, `Retry-After` included.
    public var maxDelay: Duration
    /// How long one attempt may take, from sending to the last byte of the body.
    public var timeout: Duration

    public init(attempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(30),
                timeout: Duration = .seconds(60)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// Statuses worth another try: throttling and server-side failures.
    public static func isRetryable(status: Int) -> Bool { status == 429 || status == 408 || (500...599).contains(status) && status != 501 }

    /// How long to wait before attempt `attempt + 1` (attempt counts from 0): the server's `Retry-After` (seconds or
    /// an HTTP date) when it gave one, else exponential back-off with full jitter; never more than `maxDelay`.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date = Date(),
                      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let cap = Double(maxDelay.components.seconds) + Double(maxDelay.components.attoseconds) / 1e18
        if let retryAfter = retryAfter?.trimmingCharacters(in: .whitespaces), !retryAfter.isEmpty {
            if let seconds = Double(retryAfter), seconds >= 0 { return .milliseconds(Int(min(seconds, cap) * 1000)) }
            if let date = Self.httpDate(retryAfter) { return .milliseconds(Int(min(max(date.timeIntervalSince(now), 0), cap) * 1000)) }
        }
        let base = Double(baseDelay.components.seconds) + Double(baseDelay.components.attoseconds) / 1e18
        let ceiling = min(cap, base * pow(2, Double(min(attempt, 30))))
        return .milliseconds(Int(random(0...ceiling) * 1000))
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// Sends requests with AsyncHTTPClient, trying again on throttling (429), server errors (5xx) and timeouts with
/// back-off and jitter, honouring `Retry-After`. A final non-success status is returned, not thrown: the caller
/// knows whether a 403 or 404 means "missing part" or "error".
///
/// AsyncHTTPClient rather than URLSession: on Linux URLSession lives in FoundationNetworking, which needs the
/// system's libcurl at run time, so the static release binary would no longer run on a machine without it;
/// AsyncHTTPClient is Swift on SwiftNIO with its TLS (BoringSSL) built in.
public struct HTTPTransport: Sendable {
    public var retry: RetryPolicy
    /// Largest body read (a stack export can be large; the input size limit applies after this).
    public var maxBodyBytes: Int
    /// The client given, or nil for AsyncHTTPClient's shared one, looked up at the first request: looking it up
    /// starts its event loop threads, which a scan of local files never needs.
    private let client: HTTPClient?

    public init(retry: RetryPolicy = RetryPolicy(), maxBodyBytes: Int = 4 << 30, client: HTTPClient? = nil) {
        self.retry = retry
        self.maxBodyBytes = maxBodyBytes
        self.client = client
    }

    /// Sends `request`, retrying as the policy says. `location` names the request in errors (never the URL's query
    /// or a header, which may carry credentials).
    public func send(_ request: HTTPRequest, location: String) async throws(RemoteError) -> HTTPResponse {
        var attempt = 0
        while true {
            let outcome = await once(request, location: location)
            let retryAfter: String?
            switch outcome {
            case .success(let response):
                guard RetryPolicy.isRetryable(status: response.status), attempt + 1 < retry.attempts else { return response }
                retryAfter = response.header("Retry-After")
            case .failure(let error):
                guard attempt + 1 < retry.attempts else { throw error }
                retryAfter = nil
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            do { try await Task.sleep(for: wait) } catch { throw .transport(location: location, reason: "cancelled") }
            attempt += 1
        }
    }

    private func once(_ request: HTTPRequest, location: String) async -> Result<HTTPResponse, RemoteError> {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let seconds = retry.timeout.components.seconds
        let deadline = NIODeadline.now() + .seconds(max(1, seconds))
        do {
            let response = try await (client ?? .shared).execute(outgoing, deadline: deadline)
            var body = try await response.body.collect(upTo: maxBodyBytes)
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            return .success(HTTPResponse(status: Int(response.status.code),
                                         headers: response.headers.map { (name: $0.name, value: $0.value) }, body: bytes))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(.transport(location: location, reason: "timed out after \(seconds) s"))
        } catch let error as NIOTooManyBytesError {
            _ = error
            return .failure(.transport(location: location, reason: "response larger than \(maxBodyBytes) bytes"))
        } catch {
            return .failure(.transport(location: location, reason: Self.describe(error)))
        }
    }

    /// A transport error in words, without anything from the request (AsyncHTTPClient's errors hold none).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .invalidURL: return "invalid URL"
            default: return "HTTP error (\(String(describing: error)))"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return "request failed (\(String(describing: type(of: error))))"
    }
}
