import RampartJSON
import RampartModel

/// Removes secret values from text before it reaches any report. Built from every secret in a stack (plaintexts
/// of decrypted secrets, ciphertexts of encrypted ones) plus any extra strings a caller knows to be secret.
public struct SecretRedactor: Sendable {
    /// Secret strings, longest first so that overlapping secrets are removed whole.
    public private(set) var secrets: [String]
    public static let replacement = "[secret]"
    /// Strings shorter than this (in UTF-8 bytes) are not treated as secrets (would redact words like "true").
    public static let minimumLength = 4

    /// Secret UTF-8 bytes, in `secrets` order.
    private var patterns: [[UInt8]] = []
    /// Indexes into `patterns` by their first four bytes: a message is scanned once, looking up each 4-byte window,
    /// so redaction costs O(message length) however many secrets the stack holds.
    private var byPrefix: [UInt32: [Int]] = [:]

    public init(secrets: [String] = []) {
        self.secrets = []
        add(secrets)
    }

    public mutating func add(_ more: [String]) {
        var set = Set(secrets)
        for s in more where s.utf8.count >= SecretRedactor.minimumLength { set.insert(s) }
        secrets = set.sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
        patterns = secrets.map { Array($0.utf8) }
        byPrefix = [:]
        for (i, pattern) in patterns.enumerated() { byPrefix[SecretRedactor.prefix(pattern, 0), default: []].append(i) }
    }

    @inline(__always)
    private static func prefix<C: RandomAccessCollection>(_ bytes: C, _ at: C.Index) -> UInt32 where C.Element == UInt8 {
        var value: UInt32 = 0
        var i = at
        for _ in 0..<4 {
            value = value << 8 | UInt32(bytes[i])
            i = bytes.index(after: i)
        }
        return value
    }

    /// Every secret held by the stack's resources (inputs and outputs, at any depth), collected on up to `jobs`
    /// workers.
    public init(stack: Stack, jobs: Int = 1) {
        let resources = stack.graph.resources + stack.graph.tombstones + stack.graph.pendingReplacements
            + stack.graph.pendingOperations.map(\.resource)
        let tasks = Parallel.taskCount(items: resources.count, workers: jobs, minimum: 4096)
        let found = Parallel.map(tasks, workers: jobs) { task -> [String] in
            var collector = SecretCollector()
            for resource in resources[Parallel.slice(task, of: tasks, items: resources.count)] {
                if let inputs = resource.inputs { collector.visit(inputs) }
                if let outputs = resource.outputs { collector.visit(outputs) }
            }
            return collector.found
        }
        self.init(secrets: Array(found.joined()))
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every secret replaced by `[secret]`. At each position the longest secret that starts there wins.
    /// Matching on UTF-8 bytes is safe: a secret starts with a lead or ASCII byte, never inside a character.
    public func redact(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        let bytes = Array(text.utf8)
        guard bytes.count >= SecretRedactor.minimumLength else { return text }
        var out: [UInt8] = []
        var changed = false
        var i = 0
        let replacement = Array(SecretRedactor.replacement.utf8)
        while i < bytes.count {
            if i + 4 <= bytes.count, let candidates = byPrefix[SecretRedactor.prefix(bytes, i)],
               let hit = candidates.first(where: { matches(patterns[$0], bytes, at: i) }) {
                if !changed { out.reserveCapacity(bytes.count); out.append(contentsOf: bytes[0..<i]); changed = true }
                out.append(contentsOf: replacement)
                i += patterns[hit].count
                continue
            }
            if changed { out.append(bytes[i]) }
            i += 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    private func matches(_ pattern: [UInt8], _ bytes: [UInt8], at start: Int) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for j in 4..<pattern.count where bytes[start + j] != pattern[j] { return false }
        return true
    }
}

/// Walks property values and gathers the strings that are secret.
struct SecretCollector {
    var found: [String] = []

    mutating func visit(_ value: PropertyValue, insideSecret: Bool = false) {
        visit(value.node, insideSecret: insideSecret, dialect: value.dialect)
    }

    /// Walks the JSON nodes directly: keys are never decoded and only objects carrying the signature key are
    /// looked at closely, so collecting a large stack's secrets costs about one pass over its tape.
    private mutating func visit(_ node: JSONNode, insideSecret: Bool, dialect: PropertyDialect) {
        switch node.kind {
        case .object:
            if let sig = node[PulumiSignature.key] {
                guard sig.stringEquals(PulumiSignature.secret) else { return }  // assets, archives, references
                if let ciphertext = node["ciphertext"]?.string, ciphertext != SecretRedactor.replacement { found.append(ciphertext) }
                if let plaintext = node["plaintext"]?.string {
                    found.append(plaintext)
                    if let inner = try? JSONDocument.parse(plaintext) { visit(inner.root, insideSecret: true, dialect: dialect) }
                }
                return
            }
            for (_, member) in node.members { visit(member, insideSecret: insideSecret, dialect: dialect) }
        case .array:
            for element in node.elements { visit(element, insideSecret: insideSecret, dialect: dialect) }
        case .string:
            if insideSecret, let s = node.string { found.append(s) }
        case .number:
            if insideSecret, let text = node.numberText { found.append(text) }
        case .null, .bool:
            break
        }
    }
}
