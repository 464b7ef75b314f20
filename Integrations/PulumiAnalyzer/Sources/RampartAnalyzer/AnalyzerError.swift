/// Why the analyzer could not start or answer a call. Each case names the file, key or wire path involved.
public enum AnalyzerError: Error, Sendable, CustomStringConvertible {
    /// The pack directory holds neither a `rampart.yaml` nor a Rampart YAML pack.
    case noPacks(directory: String)
    /// A file of the pack directory is not what was expected.
    case invalidFile(path: String, message: String)
    /// Loading the packs or rampart.yaml failed (Rampart's own located message).
    case packLoading(message: String)
    /// Two packs would serve the same policy name.
    case duplicatePolicy(name: String)
    /// A command-line argument is wrong.
    case usage(String)
    /// A property Struct from the engine could not be converted.
    case invalidWireValue(path: String, reason: String)
    /// A URN from the engine does not parse.
    case invalidURN(String, field: String)
    /// A request's bytes are not the method's protobuf message.
    case undecodableRequest(method: String, reason: String)
    /// The engine called `Cancel`: every later call ends as cancelled.
    case cancelled
    /// A system call on the analyzer's socket failed (the listener could not be set up, or accepting failed).
    case socket(call: String, reason: String)
    /// The client broke HTTP/2 in a way that ends its connection (sent to it in GOAWAY, with this reason).
    case connection(HTTP2ErrorCode, String)

    public var description: String {
        switch self {
        case .noPacks(let directory):
            return "\(directory): no rampart.yaml naming packs and no Rampart YAML pack (pack.yaml); see Samples/pulumi-analyzer"
        case .invalidFile(let path, let message): return "\(path): \(message)"
        case .packLoading(let message): return message
        case .duplicatePolicy(let name): return "policy '\(name)' is served twice; pack names must differ"
        case .usage(let message): return message
        case .invalidWireValue(let path, let reason): return "property value at \(path): \(reason)"
        case .invalidURN(let urn, let field): return "\(field): '\(urn)' is not a Pulumi URN"
        case .undecodableRequest(let method, let reason): return "\(method): the request is not a valid message (\(reason))"
        case .cancelled: return "the engine cancelled this analyzer"
        case .socket(let call, let reason): return "\(call) failed: \(reason)"
        case .connection(let code, let reason): return "HTTP/2 \(code): \(reason)"
        }
    }
}
