import RampartModel
import RampartPolicy

/// A value a rule reads: a Pulumi property value or a plain value (identity, config).
enum Datum: Sendable {
    /// With its kind, worked out once: finding the kind of an object means looking for Pulumi's signature key among
    /// its members, and every step of a path and every operator asks for it.
    case property(PropertyValue, PropertyKind)
    case plain(ConfigValue)
}

/// What a reference resolves to, after secrets are looked through: absent, null, unknown (preview), an encrypted
/// secret, or a value (with whether it was, or sat inside, a decrypted secret).
enum Item: Sendable {
    case absent
    case null
    case unknown
    case encrypted
    case value(Datum, secret: Bool)

    init(_ value: PropertyValue?, secret: Bool = false) {
        self.init(value, kind: nil, secret: secret)
    }

    /// `kind`: the value's kind when the caller already knows it (`ResourceContext.propertiesKind`).
    init(_ value: PropertyValue?, kind known: PropertyKind?, secret: Bool = false) {
        guard let value else { self = .absent; return }
        let kind = known ?? value.kind
        switch kind {
        case .null: self = .null
        case .unknown: self = .unknown
        case .secret:
            switch value.secret {
            case .decrypted(let inner)?: self = Item(inner, secret: true)
            default: self = .encrypted
            }
        default: self = .value(.property(value, kind), secret: secret)
        }
    }

    init(_ value: ConfigValue?) {
        guard let value else { self = .absent; return }
        if case .null = value { self = .null } else { self = .value(.plain(value), secret: false) }
    }

    /// Absent or null: "the path does not resolve to a value".
    var isMissing: Bool {
        switch self { case .absent, .null: return true; default: return false }
    }

    var isSecret: Bool {
        switch self {
        case .encrypted: return true
        case .value(_, let s): return s
        default: return false
        }
    }

    // MARK: - Stepping

    subscript(key: String) -> Item {
        guard case .value(let datum, let secret) = self else { return isMissing ? .absent : self }
        switch datum {
        case .property(let v, let kind):
            // `PropertyValue[key]` without working out the kind again: only plain objects have members.
            guard kind == .object, let child = v.node[key] else { return .absent }
            return Item(PropertyValue(node: child, dialect: v.dialect), secret: secret)
        case .plain(let c): return c.object.map { Item($0[key]) } ?? .absent
        }
    }

    subscript(index: Int) -> Item {
        guard case .value(let datum, let secret) = self else { return isMissing ? .absent : self }
        switch datum {
        case .property(let v, _): return Item(v[index], secret: secret)
        case .plain(let c):
            guard let a = c.array, index >= 0, index < a.count else { return .absent }
            return Item(a[index])
        }
    }

    /// Array elements (for `[*]`); nil when the value is not an array.
    var elements: [Item]? {
        guard case .value(let datum, let secret) = self else { return nil }
        switch datum {
        case .property(let v, _):
            guard v.node.kind == .array else { return nil }
            return v.elements.map { Item($0, secret: secret) }
        case .plain(let c): return c.array?.map { Item($0) }
        }
    }

    /// Calls `body` with each array element in order, without building an array of them, until it returns false.
    /// Returns false when the value is not an array (what `elements` answers nil for).
    func forEachElement<E: Error>(_ body: (Item) throws(E) -> Bool) throws(E) -> Bool {
        guard case .value(let datum, let secret) = self else { return false }
        switch datum {
        case .property(let v, _):
            guard v.node.kind == .array else { return false }
            for child in v.node.elements {
                if try !body(Item(PropertyValue(node: child, dialect: v.dialect), secret: secret)) { break }
            }
            return true
        case .plain(let c):
            guard let array = c.array else { return false }
            for element in array where try !body(Item(element)) { break }
            return true
        }
    }

    /// Object members in document order (for `.*` and object quantifiers); nil when not an object.
    var members: [(key: String, value: Item)]? {
        guard case .value(let datum, let secret) = self else { return nil }
        switch datum {
        case .property(let v, let kind):
            guard kind == .object else { return nil }
            return v.members.map { ($0.key, Item($0.value, secret: secret)) }
        case .plain(let c): return c.object.map { o in o.keys.sorted().map { ($0, Item(o[$0])) } }
        }
    }

    // MARK: - Scalars

    var kind: ValueKind? {
        switch self {
        case .null: return .null
        case .value(.property(_, let kind), _):
            switch kind {
            case .bool: return .bool
            case .number, .specialNumber: return .number
            case .string: return .string
            case .array: return .array
            default: return .object
            }
        case .value(.plain(let c), _):
            switch c {
            case .null: return .null
            case .bool: return .bool
            case .number: return .number
            case .string: return .string
            case .array: return .array
            case .object: return .object
            }
        default: return nil
        }
    }

    var string: String? {
        switch self {
        case .value(.property(let v, let kind), _): return kind == .string ? v.node.string : nil
        case .value(.plain(let c), _): return c.string
        default: return nil
        }
    }

    var number: Double? {
        switch self {
        case .value(.property(let v, _), _): return v.number
        case .value(.plain(let c), _): return c.number
        default: return nil
        }
    }

    var bool: Bool? {
        switch self {
        case .value(.property(let v, _), _): return v.bool
        case .value(.plain(let c), _): return c.bool
        default: return nil
        }
    }

    /// Length of a string (characters), array or object. Arrays and objects are counted from the document, without
    /// making their elements or members.
    var length: Int? {
        switch self {
        case .value(.property(let v, let kind), _):
            switch kind {
            case .string: return v.node.string?.count
            case .array: return v.node.kind == .array ? v.node.count : nil
            case .object: return v.node.count
            default: return nil
            }
        case .value(.plain(let c), _):
            switch c {
            case .string(let s): return s.count
            case .array(let a): return a.count
            case .object(let o): return o.count
            default: return nil
            }
        default: return nil
        }
    }

    /// Whether `length` is 0 (an empty string, array or object), answered without decoding or counting anything.
    var hasZeroLength: Bool {
        switch self {
        case .value(.property(let v, let kind), _):
            switch kind {
            case .string: return v.node.stringEquals("")
            case .array: return v.node.kind == .array && v.node.count == 0
            case .object: return v.node.count == 0
            default: return false
            }
        case .value(.plain(let c), _):
            switch c {
            case .string(let s): return s.isEmpty
            case .array(let a): return a.isEmpty
            case .object(let o): return o.isEmpty
            default: return false
            }
        default: return false
        }
    }

    /// The value as a plain `ConfigValue` (for `{path: …}` operands); `.unknown` when something inside cannot be
    /// read, nil when absent.
    func plain() -> PlainResult {
        switch self {
        case .absent, .null: return .missing
        case .unknown, .encrypted: return .unreadable
        case .value(.plain(let c), _): return .value(c)
        case .value(.property, _):
            switch kind {
            case .string?: return .value(.string(string ?? ""))
            case .number?: return .value(.number(number ?? 0))
            case .bool?: return .value(.bool(bool ?? false))
            case .array?:
                var out: [ConfigValue] = []
                for e in elements ?? [] {
                    switch e.plain() {
                    case .value(let v): out.append(v)
                    case .missing: out.append(.null)
                    case .unreadable: return .unreadable
                    }
                }
                return .value(.array(out))
            case .object?:
                var out: [String: ConfigValue] = [:]
                for (k, v) in members ?? [] {
                    switch v.plain() {
                    case .value(let x): out[k] = x
                    case .missing: out[k] = .null
                    case .unreadable: return .unreadable
                    }
                }
                return .value(.object(out))
            default: return .missing
            }
        }
    }

    enum PlainResult { case value(ConfigValue), missing, unreadable }
}
