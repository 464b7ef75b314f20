import Foundation
import Yams

/// A YAML node with its position: the syntax tree rules are checked against. Built from Yams' composed tree with
/// aliases expanded (under a budget), so later phases never see anchors.
struct YAMLNode: Sendable {
    enum Content: Sendable {
        /// A scalar: its text and whether it was written plain (so, untagged, `true`/`3`/`null` are typed).
        case scalar(String, plain: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    var content: Content
    var line: Int
    var column: Int
    /// An explicit tag such as `!secret` (nil when none).
    var tag: String? = nil

    /// The scalar's resolved value under YAML 1.2's core schema (quoted scalars are always strings).
    var scalarValue: ScalarValue? {
        guard case .scalar(let text, let plain) = content else { return nil }
        return plain && tag == nil ? ScalarValue.resolve(text) : .string(text)
    }

    var string: String? { if case .string(let s)? = scalarValue { return s } else { return nil } }
    var mapping: [(key: YAMLNode, value: YAMLNode)]? { if case .mapping(let m) = content { return m } else { return nil } }
    var sequence: [YAMLNode]? { if case .sequence(let s) = content { return s } else { return nil } }

    /// A short description of what the node is, for "found …" in messages (never its whole content).
    var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            switch scalarValue {
            case .null?: return "null"
            case .bool(let b)?: return "the boolean \(b)"
            case .number?: return "the number \(scalarText)"
            case .string(let s)?: return s.count <= 60 ? "the string '\(s)'" : "a string"
            case nil: return "a scalar"
            }
        }
    }

    var scalarText: String { if case .scalar(let t, _) = content { return t } else { return "" } }
}

/// A typed YAML scalar.
enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    /// YAML 1.2 core schema resolution of a plain scalar. Deliberately not YAML 1.1: `no`, `on`, `yes` stay strings.
    static func resolve(_ text: String) -> ScalarValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
        default: break
        }
        if let n = number(text) { return .number(n) }
        return .string(text)
    }

    private static func number(_ text: String) -> Double? {
        let u = Array(text.utf8)
        guard let first = u.first else { return nil }
        let digitStart = (first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) ? 1 : 0
        guard digitStart < u.count else { return nil }
        let body = u[digitStart...]
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let marker = body[body.startIndex + 1]
            let digits = String(decoding: body.dropFirst(2), as: UTF8.self)
            let radix = marker == UInt8(ascii: "x") ? 16 : marker == UInt8(ascii: "o") ? 8 : 0
            if radix != 0, let v = Int(digits, radix: radix) { return Double(first == UInt8(ascii: "-") ? -v : v) }
        }
        // Decimal: digits, optional fraction, optional exponent; no leading '.' forms beyond what Double accepts.
        let allowed = body.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e")
            || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        guard allowed, body.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Double(text)
    }
}

/// Reads a YAML document into a `YAMLNode` tree, within budgets that bound the work hostile input can cause.
struct YAMLDocumentReader: Sendable {
    /// Largest accepted document (4 MiB).
    var maxBytes = 4 << 20
    /// Most nodes after alias expansion (an alias bomb expands exponentially; this stops it early).
    var maxNodes = 100_000
    /// Deepest flow nesting or indentation accepted before handing the text to the (recursive) composer.
    var maxNesting = 256

    func read(file: String) throws(RulesError) -> YAMLNode? {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let size = attributes[.size] as? Int
            if let size, size > maxBytes { throw RulesError.tooLarge(file: file, bytes: size, limit: maxBytes) }
            // Foundation's Data(contentsOf:) leaks a 4 KiB buffer on an empty file (found by FuzzRules under
            // LeakSanitizer); an empty regular file needs no read.
            data = size == 0 && attributes[.type] as? FileAttributeType == .typeRegular
                ? Data() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let error as RulesError {
            throw error
        } catch {
            throw .unreadable(file: file, reason: Self.reason(error))
        }
        return try read(bytes: [UInt8](data), file: file)
    }

    func read(bytes: [UInt8], file: String) throws(RulesError) -> YAMLNode? {
        guard bytes.count <= maxBytes else { throw .tooLarge(file: file, bytes: bytes.count, limit: maxBytes) }
        // A UTF-8 byte order mark is allowed by YAML 1.2 (editors on Windows write one); libyaml's composer rejects it.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .syntax(file: file, line: 1, column: 1, problem: "the file is UTF-16 (it starts with a UTF-16 byte order mark); expected UTF-8")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .syntax(file: file, line: 1, column: 1, problem: "the file is not valid UTF-8")
        }
        if let (line, column) = Self.excessiveNesting(bytes, limit: maxNesting) {
            throw .invalid(file: file, line: line, column: column,
                           message: "nesting deeper than \(maxNesting) levels; expected a rule document nested at most \(maxNesting) levels deep")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw .syntax(file: file, line: 1, column: 1, problem: String(describing: error))
        }
        guard let root else { return nil }
        var budget = maxNodes
        return try convert(root, file: file, budget: &budget)
    }

    private func convert(_ node: Node, file: String, budget: inout Int) throws(RulesError) -> YAMLNode {
        budget -= 1
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        if budget < 0 { throw .expansionBudget(file: file, line: line, column: column, limit: maxNodes) }
        let name = node.tag.rawValue
        let explicit = name.isEmpty || name == "!" || name.hasPrefix("tag:yaml.org,2002:") ? nil : name
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLNode(content: .scalar(scalar.string, plain: plain), line: line, column: column, tag: explicit)
        case .mapping(let mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            pairs.reserveCapacity(mapping.count)
            for (k, v) in mapping {
                let key = try convert(k, file: file, budget: &budget)
                let value = try convert(v, file: file, budget: &budget)
                pairs.append((key, value))
            }
            return YAMLNode(content: .mapping(pairs), line: line, column: column, tag: explicit)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, file: file, budget: &budget)) }
            return YAMLNode(content: .sequence(items), line: line, column: column, tag: explicit)
        case .alias(let alias):
            throw .invalid(file: file, line: line, column: column, message: "found an unresolved alias '*\(alias.anchor.rawValue)', expected a value")
        }
    }

    /// Yams composes recursively; reject nesting deep enough to threaten the stack before it gets there. Counts
    /// flow brackets outside quotes and comments, and leading indentation.
    static func excessiveNesting(_ bytes: [UInt8], limit: Int) -> (Int, Int)? {
        var depth = 0, line = 1, column = 0, indent = 0, atLineStart = true
        var quote: UInt8 = 0, comment = false
        var previous: UInt8 = 0x0A
        for b in bytes {
            column += 1
            if b == 0x0A {
                line += 1; column = 0; indent = 0; atLineStart = true; comment = false
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { /* multi-line quoted scalars continue */ }
                previous = b
                continue
            }
            if atLineStart {
                if b == 0x20 { indent += 1; if indent > limit * 2 { return (line, column) }; previous = b; continue }
                atLineStart = false
            }
            if comment { previous = b; continue }
            if quote != 0 {
                if b == quote && !(quote == UInt8(ascii: "\"") && previous == UInt8(ascii: "\\")) { quote = 0 }
            } else if b == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09 || previous == 0x0A) {
                comment = true
            } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && (previous == 0x20 || previous == UInt8(ascii: "[")
                        || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") || previous == 0x0A) {
                quote = b
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                depth += 1
                if depth > limit { return (line, column) }
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            previous = b
        }
        return nil
    }

    private static func syntaxError(_ error: YamlError, file: String) -> RulesError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = context.map { "\($0.text) \(problem)" } ?? problem
            return .syntax(file: file, line: mark.line, column: mark.column, problem: text)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .invalid(file: file, line: context.mark.line, column: context.mark.column,
                            message: "duplicate key \(keys) in a mapping; expected each key once")
        case .reader(let problem, _, _, _):
            return .syntax(file: file, line: 1, column: 1, problem: problem)
        default:
            return .syntax(file: file, line: 1, column: 1, problem: String(describing: error))
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return ns.localizedDescription
    }
}
