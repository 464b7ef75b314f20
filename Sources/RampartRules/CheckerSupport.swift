import RampartModel
import RampartPolicy

/// A mapping whose keys have been checked to be unique strings, with their nodes kept for positions.
struct KeyedMapping {
    struct Entry {
        var key: String
        var keyNode: YAMLNode
        var value: YAMLNode
    }
    var node: YAMLNode
    var entries: [Entry]

    subscript(key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
    func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
    var keys: [String] { entries.map(\.key) }
}

/// Shared checks for rule documents: every failure names the file, line and column, what was found and what was
/// expected.
struct DocumentChecker {
    let file: String

    func fail(_ node: YAMLNode, _ message: String) -> RulesError {
        .invalid(file: file, line: node.line, column: node.column, message: message)
    }

    /// `<what>: found <kind>, expected <expected>`.
    func wrongType(_ node: YAMLNode, _ what: String, expected: String) -> RulesError {
        fail(node, "\(what): found \(node.kindDescription), expected \(expected)")
    }

    func mapping(_ node: YAMLNode, _ what: String) throws(RulesError) -> KeyedMapping {
        guard let pairs = node.mapping else { throw wrongType(node, what, expected: "a mapping") }
        var entries: [KeyedMapping.Entry] = []
        var seen: [String: YAMLNode] = [:]
        for (k, v) in pairs {
            guard case .scalar(let text, _) = k.content, k.tag == nil else {
                throw fail(k, "\(what): found \(k.kindDescription) as a key, expected a plain key name")
            }
            if let first = seen[text] {
                throw fail(k, "duplicate key '\(text)' in \(what) (first at \(first.line):\(first.column)); expected each key once")
            }
            seen[text] = k
            entries.append(.init(key: text, keyNode: k, value: v))
        }
        return KeyedMapping(node: node, entries: entries)
    }

    /// Rejects keys outside `allowed`, suggesting the closest one.
    func checkKeys(_ mapping: KeyedMapping, allowed: [String], in what: String, noun: String = "key") throws(RulesError) {
        for entry in mapping.entries where !allowed.contains(entry.key) {
            throw unknownKey(entry, allowed: allowed, in: what, noun: noun)
        }
    }

    func unknownKey(_ entry: KeyedMapping.Entry, allowed: [String], in what: String, noun: String = "key") -> RulesError {
        let where_ = what.isEmpty ? "" : " in \(what)"
        if let suggestion = Suggestion.closest(to: entry.key, in: allowed) {
            return fail(entry.keyNode, "unknown \(noun) '\(entry.key)'\(where_) — did you mean '\(suggestion)'?")
        }
        return fail(entry.keyNode, "unknown \(noun) '\(entry.key)'\(where_); expected one of: \(allowed.joined(separator: ", "))")
    }

    func require(_ mapping: KeyedMapping, _ key: String, in what: String, expected: String) throws(RulesError) -> YAMLNode {
        guard let node = mapping[key] else { throw fail(mapping.node, "\(what) has no '\(key)'; expected \(expected)") }
        return node
    }

    func string(_ node: YAMLNode, _ what: String) throws(RulesError) -> String {
        guard case .scalar = node.content, node.tag == nil, let s = node.string else { throw wrongType(node, what, expected: "a string") }
        return s
    }

    /// A scalar's text as written (versions like `1.0` or `3.0` stay as written).
    func scalarText(_ node: YAMLNode, _ what: String) throws(RulesError) -> String {
        guard case .scalar(let text, _) = node.content, node.tag == nil, node.scalarValue != .null else {
            throw wrongType(node, what, expected: "a string")
        }
        return text
    }

    func bool(_ node: YAMLNode, _ what: String) throws(RulesError) -> Bool {
        guard case .bool(let b)? = node.scalarValue, node.tag == nil else { throw wrongType(node, what, expected: "true or false") }
        return b
    }

    func number(_ node: YAMLNode, _ what: String) throws(RulesError) -> Double {
        guard case .number(let n)? = node.scalarValue, node.tag == nil, n.isFinite else { throw wrongType(node, what, expected: "a number") }
        return n
    }

    /// A list of strings; a single string is accepted as a list of one.
    func strings(_ node: YAMLNode, _ what: String) throws(RulesError) -> [(String, YAMLNode)] {
        if let items = node.sequence {
            guard !items.isEmpty else { throw fail(node, "\(what): found an empty list, expected at least one entry") }
            var out: [(String, YAMLNode)] = []
            for item in items { out.append((try string(item, "an entry of \(what)"), item)) }
            return out
        }
        guard node.string != nil else { throw wrongType(node, what, expected: "a string or a list of strings") }
        return [(try string(node, what), node)]
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _: T.Type) throws(RulesError) -> T
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        guard let text = node.string else { throw wrongType(node, what, expected: "one of \(names.joined(separator: ", "))") }
        guard let value = T(rawValue: text) else {
            throw fail(node, "\(what): found '\(text)', expected one of \(names.joined(separator: ", "))\(Suggestion.hint(for: text, in: names))")
        }
        return value
    }

    /// A plain value (operand literal, config default).
    func value(_ node: YAMLNode, _ what: String) throws(RulesError) -> ConfigValue {
        if let tag = node.tag { throw fail(node, "\(what): found the tag '\(tag)', expected a plain value") }
        switch node.content {
        case .scalar:
            switch node.scalarValue {
            case .null?, nil: return .null
            case .bool(let b)?: return .bool(b)
            case .number(let n)?: return .number(n)
            case .string(let s)?: return .string(s)
            }
        case .sequence(let items):
            var out: [ConfigValue] = []
            for item in items { out.append(try value(item, what)) }
            return .array(out)
        case .mapping:
            let m = try mapping(node, what)
            var out: [String: ConfigValue] = [:]
            for e in m.entries { out[e.key] = try value(e.value, what) }
            return .object(out)
        }
    }

    /// Type-token globs: `aws:s3/bucketV2:BucketV2`, `aws:s3/*`, `*`.
    func typeSelector(_ node: YAMLNode, _ what: String) throws(RulesError) -> TypeSelector {
        var patterns: [String] = []
        for (text, item) in try strings(node, what) {
            guard Self.isValidTypeGlob(text) else {
                throw fail(item, "bad type glob '\(text)' in \(what): expected a type token such as 'aws:s3/bucketV2:BucketV2' or a glob such as 'aws:s3/*'")
            }
            patterns.append(text)
        }
        return TypeSelector(patterns)
    }

    static func isValidTypeGlob(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 512 else { return false }
        let ok = text.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
                || ":/_.-*?$".unicodeScalars.contains(c)
        }
        guard ok else { return false }
        let colons = text.filter { $0 == ":" }.count
        let hasGlob = text.contains("*") || text.contains("?")
        if text.contains("::") { return false }
        return hasGlob ? colons <= 2 : colons == 2
    }
}
