import RampartYAML
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

/// Reads a rule document through the shared `YAMLReader` (one set of budgets for every YAML Rampart reads) into a
/// `YAMLNode` tree.
struct YAMLDocumentReader: Sendable {
    var budget = YAMLBudget.standard

    func read(file: String) throws(RulesError) -> YAMLNode? {
        let root: Node?
        do { root = try YAMLReader(budget: budget).compose(file: file) } catch { throw RulesError(error) }
        return root.map { convert($0) }
    }

    func read(bytes: [UInt8], file: String) throws(RulesError) -> YAMLNode? {
        let root: Node?
        do { root = try YAMLReader(budget: budget).compose(bytes: bytes, file: file) } catch { throw RulesError(error) }
        return root.map { convert($0) }
    }

    /// The reader has already held the tree to the node and depth budget.
    private func convert(_ node: Node) -> YAMLNode {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        let name = node.tag.rawValue
        let explicit = name.isEmpty || name == "!" || name.hasPrefix("tag:yaml.org,2002:") ? nil : name
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLNode(content: .scalar(scalar.string, plain: plain), line: line, column: column, tag: explicit)
        case .mapping(let mapping):
            return YAMLNode(content: .mapping(mapping.map { (convert($0.key), convert($0.value)) }), line: line, column: column, tag: explicit)
        case .sequence(let sequence):
            return YAMLNode(content: .sequence(sequence.map { convert($0) }), line: line, column: column, tag: explicit)
        case .alias(let alias):
            // Yams' composer resolves aliases into copies; an alias node would only come from an encoder.
            return YAMLNode(content: .scalar("*" + alias.anchor.rawValue, plain: false), line: line, column: column, tag: explicit)
        }
    }
}
