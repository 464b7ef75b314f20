import RampartModel

/// Removes secret values from text before it reaches any report. Built from every secret in a stack (plaintexts
/// of decrypted secrets, ciphertexts of encrypted ones) plus any extra strings a caller knows to be secret.
public struct SecretRedactor: Sendable {
    /// Secret strings, longest first so that overlapping secrets are removed whole.
    public private(set) var secrets: [String]
    public static let replacement = "[secret]"
    /// Strings shorter than this are not treated as secrets (would redact ordinary words like "true").
    public static let minimumLength = 4

    public init(secrets: [String] = []) {
        self.secrets = []
        add(secrets)
    }

    public mutating func add(_ more: [String]) {
        var set = Set(secrets)
        for s in more where s.count >= SecretRedactor.minimumLength { set.insert(s) }
        secrets = set.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// Every secret held by the stack's resources (inputs and outputs, at any depth).
    public init(stack: Stack) {
        var collector = SecretCollector()
        for resource in stack.graph.resources + stack.graph.tombstones + stack.graph.pendingReplacements {
            if let inputs = resource.inputs { collector.visit(inputs) }
            if let outputs = resource.outputs { collector.visit(outputs) }
        }
        for op in stack.graph.pendingOperations {
            if let inputs = op.resource.inputs { collector.visit(inputs) }
            if let outputs = op.resource.outputs { collector.visit(outputs) }
        }
        self.init(secrets: collector.found)
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every secret replaced by `[secret]`.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: SecretRedactor.replacement)
        }
        return result
    }
}

/// Walks property values and gathers the strings that are secret.
struct SecretCollector {
    var found: [String] = []

    mutating func visit(_ value: PropertyValue, insideSecret: Bool = false) {
        switch value.kind {
        case .secret:
            if let ciphertext = value.node["ciphertext"]?.string, ciphertext != SecretRedactor.replacement { found.append(ciphertext) }
            if let plaintext = value.node["plaintext"]?.string { found.append(plaintext) }
            if case .decrypted(let inner)? = value.secret { visit(inner, insideSecret: true) }
        case .string:
            if insideSecret, let s = value.string { found.append(s) }
        case .number:
            if insideSecret, let text = value.node.numberText { found.append(text) }
        case .array:
            for element in value.elements { visit(element, insideSecret: insideSecret) }
        case .object:
            for (_, member) in value.members { visit(member, insideSecret: insideSecret) }
        default:
            break
        }
    }
}
