import RampartModel
import RampartYAML

/// Why a rule pack, rule file or pack test could not be loaded. Every case names the file and, where the problem is
/// inside it, the line and column (1-based; columns count Unicode scalars, as libyaml does). Messages say what was
/// found and what was expected; they never quote property values read from Pulumi inputs.
public enum RulesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or directory could not be read.
    case unreadable(file: String, reason: String)
    /// The document is larger than the size budget.
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// The text is not valid YAML (libyaml's own diagnosis).
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// The YAML is well formed but is not a valid rule document: found X, expected Y (with a suggestion when a key
    /// or operator looks misspelt).
    case invalid(file: String, line: Int, column: Int, message: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .tooLarge(let file, let bytes, let limit):
            return "\(file): document is \(bytes) bytes, larger than the limit of \(limit) bytes for a rule file"
        case .syntax(let file, let line, let column, let problem): return "\(file):\(line):\(column): invalid YAML: \(problem)"
        case .invalid(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
        }
    }

    /// The file the error is about.
    public var file: String { location.file }

    /// Where the error is: the file, with the line and column when the error is inside it.
    public var location: SourceLocation {
        switch self {
        case .syntax(let file, let line, let column, _), .invalid(let file, let line, let column, _):
            return SourceLocation(file: file, line: line, column: column)
        case .unreadable(let file, _), .tooLarge(let file, _, _): return SourceLocation(file: file)
        }
    }

    /// A YAML read error as a rule error: libyaml's diagnoses are syntax errors; refused documents (duplicate keys,
    /// over budget) are invalid rule documents.
    init(_ error: YAMLReadError) {
        switch error {
        case .unreadable(let file, let reason): self = .unreadable(file: file, reason: reason)
        case .tooLarge(let file, let bytes, let limit): self = .tooLarge(file: file, bytes: bytes, limit: limit)
        case .malformed(let at, let message): self = .syntax(file: at.file, line: at.line ?? 1, column: at.column ?? 1, problem: message)
        case .rejected(let at, let message): self = .invalid(file: at.file, line: at.line ?? 1, column: at.column ?? 1, message: message)
        }
    }

    /// The message without the `file:line:column: ` prefix.
    public var message: String {
        switch self {
        case .invalid(_, _, _, let m): return m
        case .syntax(_, _, _, let p): return "invalid YAML: \(p)"
        default:
            let prefix = "\(location): "
            return description.hasPrefix(prefix) ? String(description.dropFirst(prefix.count)) : description
        }
    }
}
