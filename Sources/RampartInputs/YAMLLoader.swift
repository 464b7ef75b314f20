import Foundation
import RampartJSON
import RampartModel
import RampartYAML
import Yams

/// A YAML document converted to a `PropertyValue`, with the position of every node by path.
public struct LoadedYAML: Sendable {
    public var value: PropertyValue
    /// Position of each node by its path (`jobs.deploy.env.AWS_ACCESS_KEY_ID`, `steps.0.with`); `""` is the root.
    public var positions: [String: SourceLocation]
    /// The file it was read from.
    public var file: String
}

/// Loads YAML inputs (`Pulumi.yaml`, stack files, CI workflows) through the shared `YAMLReader` — BOM stripped, UTF-8
/// validated, the one `YAMLBudget` enforced, every error located as `InputError.yaml(file:line:column:message)` —
/// and converts them to values. Scalars resolve as YAML 1.2's core schema (what Pulumi's go-yaml reads): only
/// `true`/`false` are booleans, so `on:`, `yes`, `no` stay strings.
public struct YAMLLoader: Sendable {
    public var budget: YAMLBudget

    public init(budget: YAMLBudget = .standard) { self.budget = budget }

    /// Reads (decompressing `.gz`/`.zst` like every input) and composes a file. Returns nil for an empty document.
    public func compose(file: String) throws(InputError) -> Node? {
        let bytes = try FileLoader.read(file, limit: budget.maxBytes)
        return try compose(bytes: bytes, file: file)
    }

    /// Composes bytes already in memory; `file` names them in errors.
    public func compose(bytes: [UInt8], file: String) throws(InputError) -> Node? {
        do { return try YAMLReader(budget: budget).compose(bytes: bytes, file: file) } catch { throw InputError(error) }
    }

    /// Composes and converts a file to a value with positions.
    public func load(file: String) throws(InputError) -> LoadedYAML? {
        guard let root = try compose(file: file) else { return nil }
        return try convert(root, file: file)
    }

    /// Converts a composed node to a value (through JSON text, so values behave like every other `PropertyValue`).
    public func convert(_ node: Node, file: String, recordPositions: Bool = true) throws(InputError) -> LoadedYAML {
        var converter = YAMLConverter(file: file, recordPositions: recordPositions)
        try converter.write(node, path: "")
        let value: PropertyValue
        do { value = try PropertyValue.parse(json: converter.writer.string) } catch {
            throw .yaml(file: file, line: 1, column: 1, message: "document could not be converted to a value")
        }
        return LoadedYAML(value: value, positions: converter.positions, file: file)
    }
}

/// Walks a node tree writing JSON. The tree was held to the node and depth budget when it was read; merge keys
/// (`<<`) reuse nodes of that tree, so they add no work the budget did not count.
struct YAMLConverter {
    let file: String
    let recordPositions: Bool
    var writer = JSONWriter()
    var positions: [String: SourceLocation] = [:]
    /// Config mode: `{secure: <ciphertext>}` becomes an encrypted secret (the ciphertext is not kept).
    var secureAware = false
    var secureLeaves = 0
    var plainLeaves = 0

    init(file: String, recordPositions: Bool) {
        self.file = file
        self.recordPositions = recordPositions
    }

    /// `keyMark`: where the key of a mapping member is; containers are located at their key, scalars at their value.
    mutating func write(_ node: Node, path: String, keyMark: Mark? = nil) throws(InputError) {
        var mark = node.mark
        if let keyMark, !YAMLConverter.isScalar(node) || YAMLConverter.isSecureValue(node) { mark = keyMark }
        let line = mark?.line ?? 1, column = mark?.column ?? 1
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
                try write(element, path: YAMLConverter.join(path, String(i)))
            }
            writer.endArray()
        case .mapping(let mapping):
            writer.beginObject()
            var seen = Set<String>()
            for (key, value) in try expandMerges(mapping) {
                let name = YAMLConverter.keyText(key)
                // Merged keys never override explicit ones (YAML merge semantics); explicit keys come first.
                guard seen.insert(name).inserted else { continue }
                writer.key(name)
                try write(value, path: YAMLConverter.join(path, name), keyMark: key.mark)
            }
            writer.endObject()
        case .alias:
            writer.null()
        }
    }

    /// Explicit pairs first, then pairs merged in with `<<` (each merge source in order).
    mutating func expandMerges(_ mapping: Node.Mapping) throws(InputError) -> [(Node, Node)] {
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
                merged.append(contentsOf: try expandMerges(m))
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
