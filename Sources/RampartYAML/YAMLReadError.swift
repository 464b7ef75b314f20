import RampartModel

/// Why a YAML document could not be read. Every case names the file and, inside it, the line and column; none
/// quotes the document's content (a stack file's values can be secrets).
public enum YAMLReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The document is larger than `YAMLBudget.maxBytes`.
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// The text is not YAML: libyaml's diagnosis, an encoding problem.
    case malformed(SourceLocation, message: String)
    /// Well-formed YAML refused: a duplicate key, or the node or depth budget exceeded.
    case rejected(SourceLocation, message: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .tooLarge(let file, let bytes, let limit): return "\(file): document is \(bytes) bytes, larger than the limit of \(limit) bytes"
        case .malformed(let location, let message), .rejected(let location, let message): return "\(location): \(message)"
        }
    }

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .tooLarge(let file, _, _): return file
        case .malformed(let location, _), .rejected(let location, _): return location.file
        }
    }
}
