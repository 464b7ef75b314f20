import Foundation
import RampartModel
import Yams

/// The one reader of YAML documents: rule files, `rampart.yaml`, `Pulumi.yaml`, stack files and CI workflows all
/// come through it. It strips a UTF-8 byte order mark, rejects UTF-16 and invalid UTF-8 at the offending byte,
/// refuses nesting deep enough to threaten libyaml's recursive composer before composing, composes with no
/// implicit typing (each caller resolves plain scalars as YAML 1.2's core schema, like Pulumi), and walks the
/// composed tree once against the node and depth budget — so every caller may then walk it freely. Every error is
/// located as `file:line:column`.
public struct YAMLReader: Sendable {
    public var budget: YAMLBudget

    public init(budget: YAMLBudget = .standard) { self.budget = budget }

    /// Reads and composes a file; nil for an empty document.
    public func compose(file: String) throws(YAMLReadError) -> Node? {
        try compose(bytes: try read(file), file: file)
    }

    /// Composes bytes already in memory; `file` names them in errors. Nil for an empty document.
    public func compose(bytes input: [UInt8], file: String) throws(YAMLReadError) -> Node? {
        if input.count > budget.maxBytes { throw .tooLarge(file: file, bytes: input.count, limit: budget.maxBytes) }
        var bytes = input[...]
        // A UTF-8 byte order mark is allowed by YAML 1.2 (editors on Windows write one); libyaml's composer rejects it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .malformed(SourceLocation(file: file, line: 1, column: 1),
                             message: "the file is UTF-16 (it starts with a UTF-16 byte order mark); expected UTF-8")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = TextPosition.of(offset: TextPosition.firstInvalidUTF8(bytes), in: bytes)
            throw .malformed(SourceLocation(file: file, line: line, column: column),
                             message: "invalid UTF-8 byte sequence, expected UTF-8 text")
        }
        if let (line, column) = TextPosition.excessiveNesting(bytes, limit: budget.maxDepth) {
            throw .rejected(SourceLocation(file: file, line: line, column: column), message: depthMessage)
        }
        let root: Node?
        do {
            root = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            throw Self.locate(error, file: file, bytes: bytes)
        } catch {
            throw .malformed(SourceLocation(file: file, line: 1, column: 1), message: "cannot parse YAML")
        }
        guard let root else { return nil }
        var nodes = 0
        try check(root, depth: 0, nodes: &nodes, file: file)
        return root
    }

    private var depthMessage: String { "nesting deeper than \(budget.maxDepth) levels; expected at most \(budget.maxDepth)" }

    /// Counts value nodes (aliases are expanded copies in Yams' tree, so each use counts) and nesting depth.
    private func check(_ node: Node, depth: Int, nodes: inout Int, file: String) throws(YAMLReadError) {
        nodes += 1
        if nodes > budget.maxNodes {
            throw .rejected(Self.location(of: node, file: file),
                            message: "document expands to more than \(budget.maxNodes) nodes (an alias bomb?)")
        }
        if depth > budget.maxDepth { throw .rejected(Self.location(of: node, file: file), message: depthMessage) }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                if case .scalar = key {} else { try check(key, depth: depth + 1, nodes: &nodes, file: file) }
                try check(value, depth: depth + 1, nodes: &nodes, file: file)
            }
        case .sequence(let sequence):
            for item in sequence { try check(item, depth: depth + 1, nodes: &nodes, file: file) }
        case .scalar, .alias:
            break
        }
    }

    /// Where a composed node starts.
    public static func location(of node: Node, file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    private func read(_ file: String) throws(YAMLReadError) -> [UInt8] {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                throw YAMLReadError.unreadable(file: file, reason: "is a directory, expected a file")
            }
            let size = attributes[.size] as? Int
            if let size, size > budget.maxBytes { throw YAMLReadError.tooLarge(file: file, bytes: size, limit: budget.maxBytes) }
            // Foundation's Data(contentsOf:) leaks a 4 KiB buffer on an empty file (found by FuzzRules under
            // LeakSanitizer); an empty regular file needs no read.
            if size == 0 && attributes[.type] as? FileAttributeType == .typeRegular { return [] }
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch let error as YAMLReadError {
            throw error
        } catch {
            throw .unreadable(file: file, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError || ns.code == NSFileNoSuchFileError {
            return "no such file"
        }
        return ns.localizedDescription
    }

    // MARK: - Errors

    static func locate(_ error: YamlError, file: String, bytes: ArraySlice<UInt8>) -> YAMLReadError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if problem.contains("cannot start any token"), TextPosition.byte(line: mark.line, column: mark.column, in: bytes) == 0x09 {
                message = "tab character where YAML expects indentation or a value; indent with spaces"
            }
            if let context {
                message = "\(context.text) (started at \(context.mark.line):\(context.mark.column)): \(message)"
            }
            return .malformed(SourceLocation(file: file, line: mark.line, column: mark.column), message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .rejected(SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                             message: "duplicate key \(keys) in a mapping; expected each key once")
        case .reader(let problem, let offset, _, _):
            let (line, column) = TextPosition.of(offset: offset ?? 0, in: bytes)
            return .malformed(SourceLocation(file: file, line: line, column: column), message: problem)
        case .memory:
            return .malformed(SourceLocation(file: file, line: 1, column: 1), message: "out of memory while parsing")
        default:
            return .malformed(SourceLocation(file: file, line: 1, column: 1), message: "cannot parse YAML")
        }
    }
}

/// Positions in raw YAML text, for the errors found before libyaml has marks to give.
enum TextPosition {
    /// The byte at a 1-based line and column (columns counted in characters by libyaml; close enough for ASCII).
    static func byte(line target: Int, column: Int, in bytes: ArraySlice<UInt8>) -> UInt8? {
        var line = 1
        var index = bytes.startIndex
        while line < target, index < bytes.endIndex {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        let position = index + column - 1
        return position < bytes.endIndex ? bytes[position] : nil
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func of(offset: Int, in bytes: ArraySlice<UInt8>) -> (Int, Int) {
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

    /// Yams composes recursively; find nesting deep enough to threaten the stack before it gets there. Counts flow
    /// brackets outside quotes and comments, and leading indentation (two spaces a level).
    static func excessiveNesting(_ bytes: ArraySlice<UInt8>, limit: Int) -> (Int, Int)? {
        var depth = 0, line = 1, column = 0, indent = 0, atLineStart = true
        var quote: UInt8 = 0, comment = false
        var previous: UInt8 = 0x0A
        for b in bytes {
            if b & 0xC0 != 0x80 { column += 1 }
            if b == 0x0A {
                // Multi-line quoted scalars continue on the next line: `quote` is kept.
                line += 1; column = 0; indent = 0; atLineStart = true; comment = false
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
}
