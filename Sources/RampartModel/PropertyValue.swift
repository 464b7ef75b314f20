import RampartJSON

/// Pulumi's signature keys and sentinels (pulumi/pulumi sdk/go/common/resource/sig/sig.go).
public enum PulumiSignature {
    public static let key = "4dabf18193072939515e22adb298388d"
    public static let secret = "1b47061264138c4ac30d75fd1eb44270"
    public static let asset = "c44067f5952c0a294b673a41bacd8c17"
    public static let archive = "0def7320c3a5731c473e5ecbe6d01bc7"
    public static let resourceReference = "5cf8f73096256a8f31e491e813e4eb8e"
    public static let outputValue = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
    public static let byteString = "803fd3297a5875dc03ca845dda5d2a98"
    public static let specialNumber = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c"
    /// The signature key as the parser marks it (`JSONMarkedKey`): documents of Pulumi values are parsed with it, so
    /// telling a plain object from a signature object costs no scan of its members.
    public static let marked = JSONMarkedKey(key)
    /// `marked` without a reference count, for code every worker runs for every property it reads: the constant
    /// lives as long as the process, and a retain of one shared object on several cores at once costs each of them
    /// a cache miss.
    public static let markedUnretained = Unmanaged.passUnretained(marked)
    /// The preview's unknown-value sentinel.
    public static let unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    /// What the preview digest puts in place of a secret.
    public static let blindedSecret = "[secret]"
    /// The UTF-8 lengths of `unknown` and `blindedSecret`, as constants: a string of any other length is neither,
    /// and a static stored property is reached through a once-only initialisation check on every read.
    @inlinable public static var unknownLength: Int { 36 }
    @inlinable public static var blindedSecretLength: Int { 8 }
}

/// The kind of a Pulumi property value: plain JSON kinds plus Pulumi's signature kinds.
public enum PropertyKind: String, Sendable, Hashable, CaseIterable {
    case null, bool, number, string, array, object
    case secret, unknown, asset, archive, resourceReference, byteString, specialNumber
    /// An object with the signature key but a value Pulumi does not define.
    case invalidSignature
}

/// Where a value was read from; decides how sentinels are interpreted.
public enum PropertyDialect: UInt8, Sendable, Hashable {
    /// State exports and checkpoints.
    case state
    /// Preview digest and engine events: `"[secret]"` strings are blinded secrets.
    case preview
}

/// A secret: encrypted (ciphertext only) or decrypted (plaintext known).
public enum SecretContent: Sendable {
    case encrypted
    case decrypted(PropertyValue)
    /// The plaintext did not decode as JSON; treated as an opaque string secret.
    case undecodable
}

/// A Pulumi property value, read lazily from a parsed JSON document. Copying one is cheap; nothing is decoded
/// until asked for. Secrets never reveal their ciphertext; plaintext only through `secret`.
public struct PropertyValue: Sendable {
    public let node: JSONNode
    public let dialect: PropertyDialect

    @inlinable
    public init(node: JSONNode, dialect: PropertyDialect = .state) {
        self.node = node
        self.dialect = dialect
    }

    /// This value without a reference count on its document (see `LentPropertyValue`): the caller keeps the value,
    /// or another on its document, alive for as long as the lent one is used.
    public var lent: LentPropertyValue { LentPropertyValue(node: JSONLentNode(node), dialect: dialect) }

    /// The same value read through `handle`, another handle on its parsed document (see
    /// `JSONDocument.sharingStorage()`).
    public func reading(through handle: JSONDocument) -> PropertyValue {
        PropertyValue(node: node.reading(through: handle), dialect: dialect)
    }

    /// Parses a JSON text into a value (used for fixtures, YAML-converted values and secret plaintexts).
    public static func parse(json text: String, dialect: PropertyDialect = .state) throws(JSONError) -> PropertyValue {
        PropertyValue(node: try JSONDocument.parse(text, marking: PulumiSignature.marked).root, dialect: dialect)
    }

    // MARK: - Kind

    /// Inlined: every property a policy reads asks it. The common answers (a plain JSON kind, a string of neither
    /// sentinel's length, an object the parser did not mark) come from the tape entry; the rest is out of line.
    @inlinable @inline(__always)
    public var kind: PropertyKind {
        switch node.kind {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .array: return .array
        case .string:
            // Most strings are told from both sentinels by the length their tape entry holds.
            guard node.stringMayHaveLength(PulumiSignature.unknownLength, PulumiSignature.blindedSecretLength) else {
                return .string
            }
            return sentinelKind
        case .object:
            if node.certainlyLacks(PulumiSignature.marked) { return .object }
            return signatureKind
        }
    }

    /// `kind` of a string that may be a sentinel.
    @usableFromInline
    var sentinelKind: PropertyKind { Self.stringKind(dialect: dialect) { node.stringEquals($0) } }

    /// `kind` of an object that may hold the signature key.
    @usableFromInline
    var signatureKind: PropertyKind {
        guard let sig = node[PulumiSignature.key] else { return .object }
        if sig.stringEquals(PulumiSignature.secret) { return .secret }
        if sig.stringEquals(PulumiSignature.asset) { return .asset }
        if sig.stringEquals(PulumiSignature.archive) { return .archive }
        if sig.stringEquals(PulumiSignature.resourceReference) { return .resourceReference }
        if sig.stringEquals(PulumiSignature.byteString) { return .byteString }
        if sig.stringEquals(PulumiSignature.specialNumber) { return .specialNumber }
        if sig.stringEquals(PulumiSignature.outputValue) {
            // Output values wrap an inner `value`; absent value means unknown.
            return node["value"] == nil ? .unknown : PropertyValue(node: node["value"]!, dialect: dialect).kind
        }
        return .invalidSignature
    }

    /// What a string value is: the preview's unknown sentinel, in a preview its blinded secret, else a string.
    /// `equals` compares the value with one of those sentinels: `kind` asks the node, and walks that read strings'
    /// bytes in place (`JSONTreeView`) compare those.
    public static func stringKind(dialect: PropertyDialect, _ equals: (String) -> Bool) -> PropertyKind {
        if equals(PulumiSignature.unknown) { return .unknown }
        if dialect == .preview && equals(PulumiSignature.blindedSecret) { return .secret }
        return .string
    }

    public var isSecret: Bool { kind == .secret }
    public var isUnknown: Bool { kind == .unknown }
    public var isNull: Bool { node.kind == .null }

    /// The signature value of an object that carries an undefined one (for reporting).
    public var signatureValue: String? {
        guard node.kind == .object, let sig = node[PulumiSignature.key] else { return nil }
        return sig.string
    }

    // MARK: - Scalars (nil unless the value is exactly that kind)

    public var bool: Bool? { node.bool }
    public var number: Double? {
        if let n = node.number { return n }
        if kind == .specialNumber { return specialNumberValue }
        return nil
    }
    public var string: String? { kind == .string ? node.string : nil }
    public func stringEquals(_ other: String) -> Bool { kind == .string && node.stringEquals(other) }

    private var specialNumberValue: Double? {
        guard let hex = node["value"]?.string, let bits = UInt64(hex, radix: 16) else { return nil }
        return Double(bitPattern: bits)
    }

    // MARK: - Containers (plain arrays/objects only; signature objects are opaque)

    @inlinable
    public subscript(key: String) -> PropertyValue? {
        guard kind == .object, let child = node[key] else { return nil }
        return PropertyValue(node: child, dialect: dialect)
    }

    /// `self[key]` for a key given as UTF-8 bytes.
    public func member(utf8 key: UnsafeBufferPointer<UInt8>) -> PropertyValue? {
        guard kind == .object, let child = node.member(utf8: key) else { return nil }
        return PropertyValue(node: child, dialect: dialect)
    }

    public subscript(index: Int) -> PropertyValue? {
        guard node.kind == .array, let child = node[index] else { return nil }
        return PropertyValue(node: child, dialect: dialect)
    }

    /// Array elements; empty for anything else.
    public var elements: [PropertyValue] {
        guard node.kind == .array else { return [] }
        var result: [PropertyValue] = []
        result.reserveCapacity(node.count)
        for child in node.elements { result.append(PropertyValue(node: child, dialect: dialect)) }
        return result
    }

    /// Object members in document order; empty for anything else (including signature objects).
    public var members: [(key: String, value: PropertyValue)] {
        guard kind == .object else { return [] }
        var result: [(key: String, value: PropertyValue)] = []
        result.reserveCapacity(node.count)
        for (k, v) in node.members { result.append((k.string ?? "", PropertyValue(node: v, dialect: dialect))) }
        return result
    }

    public var count: Int {
        switch kind {
        case .array, .object: return node.count
        case .string: return node.string?.count ?? 0
        default: return 0
        }
    }

    // MARK: - Signature payloads

    /// The content of a secret, or nil when the value is not a secret.
    public var secret: SecretContent? {
        guard kind == .secret else { return nil }
        if node.kind == .string { return .encrypted }  // blinded "[secret]" in a preview
        if let plaintext = node["plaintext"]?.string {
            guard let inner = try? PropertyValue.parse(json: plaintext, dialect: dialect) else { return .undecodable }
            return .decrypted(inner)
        }
        return .encrypted
    }

    /// The URN a resource reference points to.
    public var referencedURN: String? { kind == .resourceReference ? node["urn"]?.string : nil }
    /// The ID a resource reference carries (legacy `{"V": id}` form accepted).
    public var referencedID: String? {
        guard kind == .resourceReference, let id = node["id"] else { return nil }
        return id.string ?? id["V"]?.string
    }

    /// Asset or archive location (`path`, `uri`) if present — never text content.
    public var assetLocation: String? {
        guard kind == .asset || kind == .archive else { return nil }
        return node["path"]?.string ?? node["uri"]?.string
    }

    /// The value to use for comparisons: a decrypted secret yields its plaintext value; everything else itself.
    public var revealed: PropertyValue {
        if case .decrypted(let inner)? = secret { return inner }
        return self
    }
}

/// A property value held without a reference count on its document (see `JSONLentNode`): for reading one value many
/// times while something else keeps it alive.
public struct LentPropertyValue: Sendable {
    public let node: JSONLentNode
    public let dialect: PropertyDialect

    /// The value as one of its own, holding its document.
    public var value: PropertyValue { PropertyValue(node: node.node, dialect: dialect) }
}
