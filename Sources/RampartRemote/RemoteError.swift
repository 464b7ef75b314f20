import RampartInputs

/// What can go wrong reading a remote input. Messages name the location and what happened; they never hold a
/// token, key or signature (credentials travel in headers only and are never formatted into a message).
public enum RemoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is not a location this module reads, or is malformed (`s3://` without a bucket).
    case invalidLocation(String, reason: String)
    /// No usable credentials were found; `hint` says where they are looked for.
    case noCredentials(location: String, hint: String)
    /// The server answered with a status that is not success after every retry (`403`, `404`, `500`).
    case status(location: String, code: Int, message: String)
    /// The request could not be made or timed out, after every retry.
    case transport(location: String, reason: String)
    /// The server answered something of an unexpected shape.
    case unexpectedResponse(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLocation(let location, let reason): return "\(location): not a readable location: \(reason)"
        case .noCredentials(let location, let hint): return "\(location): no credentials: \(hint)"
        case .status(let location, let code, let message):
            return "\(location): the server answered HTTP \(code)" + (message.isEmpty ? "" : ": \(message)")
        case .transport(let location, let reason): return "\(location): \(reason)"
        case .unexpectedResponse(let location, let reason): return "\(location): unexpected response: \(reason)"
        }
    }

    /// The location the error is about.
    public var location: String {
        switch self {
        case .invalidLocation(let location, _), .noCredentials(let location, _), .status(let location, _, _),
             .transport(let location, _), .unexpectedResponse(let location, _):
            return location
        }
    }

    /// Whether the server refused access (401/403): a part the credentials may not read.
    public var isAccessDenied: Bool {
        if case .status(_, let code, _) = self { return code == 401 || code == 403 }
        return false
    }

    /// The same failure as an input error, so the pipeline lists it like an unreadable file.
    public var inputError: InputError { .unreadable(file: location, reason: reasonText) }

    /// The error's text without its location prefix.
    var reasonText: String {
        let prefix = location + ": "
        return description.hasPrefix(prefix) ? String(description.dropFirst(prefix.count)) : description
    }
}
