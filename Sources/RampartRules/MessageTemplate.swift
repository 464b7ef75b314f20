import RampartModel
import RampartPolicy

/// A compiled `message` template (docs/rules.md, "Messages"). Variables are checked at load; rendering never prints a secret:
/// secrets render as `[secret]`, unknown values as `[unknown]`, absent ones as `[absent]`.
struct MessageTemplate: Sendable {
    enum Part: Sendable {
        case literal(String)
        case name, type, urn, id, stack
        case value(Reference)
    }
    var parts: [Part] {
        didSet { literalByteCount = MessageTemplate.literalBytes(parts) }
    }
    /// UTF-8 bytes of the literal parts, to size the rendered message up front.
    private(set) var literalByteCount: Int

    init(parts: [Part]) {
        self.parts = parts
        literalByteCount = MessageTemplate.literalBytes(parts)
    }

    private static func literalBytes(_ parts: [Part]) -> Int {
        parts.reduce(0) { total, part in
            if case .literal(let s) = part { return total + s.utf8.count }
            return total
        }
    }

    static func literal(_ text: String) -> MessageTemplate { MessageTemplate(parts: [.literal(text)]) }

    /// Renders for a resource (`scope` set) or a stack (`scope` nil, then `stack` describes it).
    func render(_ evaluator: Evaluator, scope: Scope?, stack: Stack) -> String {
        // One allocation for the usual message (a few names around literal text) instead of one per growth.
        var out = ""
        out.reserveCapacity(literalByteCount + 96)
        // Looked up once, not once per part.
        let resource = scope.map { $0.stack.graph.resources[$0.index] }
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .stack: out += stack.identity.description
            case .name, .type, .urn, .id:
                guard let r = resource else { out += "[absent]"; continue }
                switch part {
                case .name: out += r.name
                case .type: out += r.type
                case .urn: out += r.urn.rawValue
                default: out += r.id.map { $0 == PulumiSignature.unknown ? "[unknown]" : $0 } ?? "[absent]"
                }
            case .value(let reference):
                if let scope {
                    out += Self.render(evaluator.resolve(reference, scope))
                } else if case .config(let key, _) = reference {
                    out += Self.render(evaluator.configItem(key))
                } else {
                    out += "[absent]"
                }
            }
        }
        return out
    }

    static func render(_ item: Item) -> String {
        if item.isSecret { return "[secret]" }
        switch item {
        case .absent, .null: return "[absent]"
        case .unknown: return "[unknown]"
        case .encrypted: return "[secret]"
        case .value:
            switch item.kind {
            case .string?: return item.string ?? ""
            default: return renderNested(item)
            }
        }
    }

    private static func renderNested(_ item: Item) -> String {
        if item.isSecret { return "\"[secret]\"" }
        switch item {
        case .absent, .null: return "null"
        case .unknown: return "\"[unknown]\""
        case .encrypted: return "\"[secret]\""
        case .value:
            switch item.kind {
            case .string?: return "\"" + (item.string ?? "") + "\""
            case .number?: return ConfigValue.number(item.number ?? 0).rendered
            case .bool?: return item.bool == true ? "true" : "false"
            case .array?: return "[" + (item.elements ?? []).map(renderNested).joined(separator: ", ") + "]"
            case .object?: return "{" + (item.members ?? []).map { "\($0.key): \(renderNested($0.value))" }.joined(separator: ", ") + "}"
            default: return "null"
            }
        }
    }
}

extension Evaluator {
    func configItem(_ key: String) -> Item { Item(defaults[key]) }
}
