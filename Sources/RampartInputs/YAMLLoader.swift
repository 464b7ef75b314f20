import Foundation
import RampartJSON
import RampartModel
import Yams

/// Limits that keep hostile YAML (alias bombs, deep nesting, huge files) from exhausting time or memory.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file read, in bytes.
    public var maxBytes: Int
    /// Most nodes visited while expanding the document (aliases count every time they are expanded).
    public var maxNodes: Int
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int

    public init(maxBytes: Int = 8 << 20, maxNodes: Int = 100_000, maxDepth: Int = 256) {
        self.maxBytes = maxBytes
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }
}

/// A YAML document converted to a `PropertyValue`, with the position of every node by path.
public struct LoadedYAML: Sendable {
    public var value: PropertyValue
    /// Position of each node by its path (`jobs.deploy.env.AWS_ACCESS_KEY_ID`, `steps.0.with`); `""` is the root.
    public var positions: [String: SourceLocation]
    /// The file it was read from.
    public var file: String
}

/// Loads YAML files with Yams: BOM stripped, UTF-8 validated, size and expansion budgets enforced, every error
/// located as `InputError.yaml(file:line:column:message)`. Scalars resolve as YAML 1.2's core schema (what Pulumi's
/// go-yaml reads): only `true`/`false` are booleans, so `on:`, `yes`, `no` stay strings.
public struct YAMLLoader: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) { self.limits = limits }

    /// Reads and composes a file. Returns nil for an empty document.
    public func compose(file: String) throws(InputError) -> Node? {
        let bytes = try FileLoader.read(file, limit: limits.maxBytes)
        return try compose(bytes: bytes, file: file)
    }

    /// Composes bytes already in memory; `file` names them in errors.
    public func compose(bytes input: [UInt8], file: String) throws(InputError) -> Node? {
        if input.count > limits.maxBytes { throw .tooLarge(file: file, limit: limits.maxBytes) }
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = YAMLLoader.firstInvalidUTF8(bytes)
            let (line, column) = YAMLLoader.position(of: offset, in: bytes)
            throw .yaml(file: file, line: line, column: column, message: "invalid UTF-8 byte sequence, expected UTF-8 text")
        }
        try checkFlowDepth(bytes, file: file)
        do {
            let parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            return try parser.singleRoot()
        } catch let error as YamlError {
            throw YAMLLoader.locate(error, file: file, bytes: bytes)
        } catch {
            throw .yaml(file: file, line: 1, column: 1, message: "cannot parse YAML")
        }
    }

    /// Composes and converts a file to a value with positions.
    public func load(file: String) throws(InputError) -> LoadedYAML? {
        guard let root = try compose(file: file) else { return nil }
        return try convert(root, file: file)
    }

    /// Converts a composed node to a value (through JSON text, so values behave like every other `PropertyValue`).
    public func convert(_ node: Node, file: String, recordPositions: Bool = true) throws(InputError) -> LoadedYAML {
        var converter = YAMLConverter(file: file, limits: limits, recordPositions: recordPositions)
        try converter.write(node, path: "", depth: 0)
        let value: PropertyValue
        do { value = try PropertyValue.parse(json: converter.writer.string) } catch {
            throw .yaml(file: file, line: 1, column: 1, message: "document could not be converted to a value")
        }
        return LoadedYAML(value: value, positions: converter.positions, file: file)
    }

    // MARK: - Errors

    static func locate(_ error: YamlError, file: String, bytes: ArraySlice<UInt8>) -> InputError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if problem.contains("cannot start any token"), YAMLLoader.byte(at: mark, in: bytes) == 0x09 {
                message = "tab character where YAML expects indentation or a value; indent with spaces"
            }
            if let context {
                message = "\(context.text) (started at \(context.mark.line):\(context.mark.column)): \(message)"
            }
            return .yaml(file: file, line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .yaml(file: file, line: context.mark.line, column: context.mark.column,
                         message: "duplicate key \(keys) in a mapping; each key may appear once")
        case .reader(let problem, let offset, _, _):
            let (line, column) = YAMLLoader.position(of: offset ?? 0, in: bytes)
            return .yaml(file: file, line: line, column: column, message: problem)
        case .memory:
            return .yaml(file: file, line: 1, column: 1, message: "out of memory while parsing")
        default:
            return .yaml(file: file, line: 1, column: 1, message: "cannot parse YAML")
        }
    }

    /// The byte at a 1-based line and column (columns counted in characters by libyaml; close enough for ASCII).
    static func byte(at mark: Mark, in bytes: ArraySlice<UInt8>) -> UInt8? {
        var line = 1
        var index = bytes.startIndex
        while line < mark.line, index < bytes.endIndex {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        let target = index + mark.column - 1
        return target < bytes.endIndex ? bytes[target] : nil
    }

    static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (Int, Int) {
        var line = 1, column = 1
        for b in bytes.prefix(offset) {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        let data = Array(bytes)
        var i = 0
        while i < data.count {
            let lead = data[i]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0
            guard length > 0, i + length <= data.count else { return i }
            if length > 1 && !data[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) { return i }
            if length > 1, String(validating: data[i..<(i + length)], as: UTF8.self) == nil { return i }
            i += length
        }
        return data.count
    }

    /// Yams composes recursively; refuse flow nesting deep enough to exhaust the stack before it gets there.
    func checkFlowDepth(_ bytes: ArraySlice<UInt8>, file: String) throws(InputError) {
        var depth = 0, line = 1, column = 1
        let limit = limits.maxDepth * 4
        for b in bytes {
            switch b {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit {
                    throw .yaml(file: file, line: line, column: column, message: "nesting deeper than \(limit) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            case 0x0A: line += 1; column = 0
            default: break
            }
            if b & 0xC0 != 0x80 { column += 1 }
        }
    }
}

/// Walks a node tree writing JSON, with a node budget (alias expansion) and a depth limit.
struct YAMLConverter {
    let file: String
    let limits: YAMLLimits
    let recordPositions: Bool
    var writer = JSONWriter()
    var positions: [String: SourceLocation] = [:]
    var visited = 0
    /// Config mode: `{secure: <ciphertext>}` becomes an encrypted secret (the ciphertext is not kept).
    var secureAware = false
    var secureLeaves = 0
    var plainLeaves = 0

    init(file: String, limits: YAMLLimits, recordPositions: Bool) {
        self.file = file
        self.limits = limits
        self.recordPositions = recordPositions
    }

    /// `keyMark`: where the key of a mapping member is; containers are located at their key, scalars at their value.
    mutating func write(_ node: Node, path: String, depth: Int, keyMark: Mark? = nil) throws(InputError) {
        visited += 1
        var mark = node.mark
        if let keyMark, !YAMLConverter.isScalar(node) || YAMLConverter.isSecureValue(node) { mark = keyMark }
        let line = mark?.line ?? 1, column = mark?.column ?? 1
        if visited > limits.maxNodes {
            throw .yaml(file: file, line: line, column: column,
                        message: "document expands to more than \(limits.maxNodes) nodes (an alias bomb?)")
        }
        if depth > limits.maxDepth {
            throw .yaml(file: file, line: line, column: column, message: "nesting deeper than \(limits.maxDepth) levels")
        }
        if recordPositions {
            positions[path] = SourceLocation(file: file, line: line, column: column)
        }
        if secureAware, YAMLConverter.isSecureValue(node) {
            secureLeaves += 1
            writer.beginObject()
            writer.key(PulumiSignature.key)
            writer.string(PulumiSignature.secret)
            writer.endObject()
            return
        }
        switch node {
        case .scalar(let scalar):
            plainLeaves += 1
            YAMLConverter.writeScalar(scalar, to: &writer)
        case .sequence(let sequence):
            writer.beginArray()
            for (i, element) in sequence.enumerated() {
                try write(element, path: YAMLConverter.join(path, String(i)), depth: depth + 1)
            }
            writer.endArray()
        case .mapping(let mapping):
            writer.beginObject()
            var seen = Set<String>()
            for (key, value) in try expandMerges(mapping, depth: depth) {
                let name = YAMLConverter.keyText(key)
                // Merged keys never override explicit ones (YAML merge semantics); explicit keys come first.
                guard seen.insert(name).inserted else { continue }
                writer.key(name)
                try write(value, path: YAMLConverter.join(path, name), depth: depth + 1, keyMark: key.mark)
            }
            writer.endObject()
        case .alias:
            writer.null()
        }
    }

    /// Explicit pairs first, then pairs merged in with `<<` (each merge source in order).
    mutating func expandMerges(_ mapping: Node.Mapping, depth: Int) throws(InputError) -> [(Node, Node)] {
        var explicit: [(Node, Node)] = []
        var merged: [(Node, Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let k) = key, k.string == "<<", k.style == .plain else {
                explicit.append((key, value))
                continue
            }
            let sources: [Node]
            switch value {
            case .mapping: sources = [value]
            case .sequence(let s): sources = Array(s)
            default: sources = []
            }
            for source in sources {
                guard case .mapping(let m) = source else { continue }
                visited += m.count
                if visited > limits.maxNodes {
                    throw .yaml(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1,
                                message: "document expands to more than \(limits.maxNodes) nodes (an alias bomb?)")
                }
                merged.append(contentsOf: try expandMerges(m, depth: depth + 1))
            }
        }
        return explicit + merged
    }

    static func isScalar(_ node: Node) -> Bool { if case .scalar = node { return true } else { return false } }

    /// A mapping whose only key is `secure` with a scalar value: Pulumi's encrypted config value.
    static func isSecureValue(_ node: Node) -> Bool {
        guard case .mapping(let m) = node, m.count == 1, let pair = m.first,
              case .scalar(let k) = pair.key, k.string == "secure", case .scalar = pair.value else { return false }
        return true
    }

    static func join(_ path: String, _ segment: String) -> String { path.isEmpty ? segment : path + "." + segment }

    static func keyText(_ key: Node) -> String {
        switch key {
        case .scalar(let s): return s.string
        default: return "<complex key>"
        }
    }

    /// YAML 1.2 core schema for plain scalars; quoted and block scalars are strings.
    static func writeScalar(_ scalar: Node.Scalar, to writer: inout JSONWriter) {
        let text = scalar.string
        guard scalar.style == .plain else { writer.string(text); return }
        switch text {
        case "", "~", "null", "Null", "NULL": writer.null(); return
        case "true", "True", "TRUE": writer.bool(true); return
        case "false", "False", "FALSE": writer.bool(false); return
        default: break
        }
        if isDecimalNumber(text), let number = Double(text), number.isFinite, text.count < 20 {
            if let int = Int(text) { writer.number(int) } else { writer.number(number) }
            return
        }
        writer.string(text)
    }

    /// `-12`, `3.5`, `1e3`: digits with an optional sign, fraction and exponent (no `0x`, `0o`, `.inf`).
    static func isDecimalNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 0x30, first <= 0x39 else { return false }
        // A leading zero followed by digits is not a decimal (octal-looking values stay strings, e.g. "0755").
        if first == 0x30, bytes.count > 1, let second = bytes.dropFirst().first, second >= 0x30, second <= 0x39 { return false }
        var seenDot = false, seenExp = false, lastWasDigit = false
        var previous: UInt8 = 0
        for b in bytes {
            switch b {
            case 0x30...0x39: lastWasDigit = true
            case UInt8(ascii: "."):
                if seenDot || seenExp { return false }
                seenDot = true; lastWasDigit = false
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if seenExp || !lastWasDigit { return false }
                seenExp = true; lastWasDigit = false
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return false }
                lastWasDigit = false
            default: return false
            }
            previous = b
        }
        return lastWasDigit || (seenDot && !seenExp)
    }
}
