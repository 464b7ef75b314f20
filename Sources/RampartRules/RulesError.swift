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
    /// Anchors and aliases expand to more nodes than the budget allows (an alias bomb), or nesting is too deep.
    case expansionBudget(file: String, line: Int, column: Int, limit: Int)
    /// The YAML is well formed but is not a valid rule document: found X, expected Y (with a suggestion when a key
    /// or operator looks misspelt).
    case invalid(file: String, line: Int, column: Int, message: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .tooLarge(let file, let bytes, let limit):
            return "\(file): document is \(bytes) bytes, larger than the limit of \(limit) bytes for a rule file"
        case .syntax(let file, let line, let column, let problem): return "\(file):\(line):\(column): invalid YAML: \(problem)"
        case .expansionBudget(let file, let line, let column, let limit):
            return "\(file):\(line):\(column): YAML anchors/aliases or nesting expand beyond the budget of \(limit) nodes; expected a document without alias bombs"
        case .invalid(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
        }
    }

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let f, _), .tooLarge(let f, _, _), .syntax(let f, _, _, _), .expansionBudget(let f, _, _, _),
             .invalid(let f, _, _, _): return f
        }
    }

    /// Line and column, when the error is inside the file.
    public var position: (line: Int, column: Int)? {
        switch self {
        case .syntax(_, let l, let c, _), .expansionBudget(_, let l, let c, _), .invalid(_, let l, let c, _): return (l, c)
        case .unreadable, .tooLarge: return nil
        }
    }

    /// The message without the `file:line:column: ` prefix.
    public var message: String {
        switch self {
        case .invalid(_, _, _, let m): return m
        case .syntax(_, _, _, let p): return "invalid YAML: \(p)"
        default:
            let d = description
            if let position {
                let prefix = "\(file):\(position.line):\(position.column): "
                if d.hasPrefix(prefix) { return String(d.dropFirst(prefix.count)) }
            }
            let prefix = "\(file): "
            return d.hasPrefix(prefix) ? String(d.dropFirst(prefix.count)) : d
        }
    }
}
