/// A plain, typed configuration value (policy config, rule operands).
public enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var number: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var array: [ConfigValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var object: [String: ConfigValue]? { if case .object(let o) = self { return o } else { return nil } }

    /// A short rendering for messages and help (`["a", "b"]`, `3`, `true`).
    public var rendered: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .string(let s): return s
        case .array(let a): return "[" + a.map { $0.renderedQuoted }.joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!.renderedQuoted)" }.joined(separator: ", ") + "}"
        }
    }

    private var renderedQuoted: String {
        if case .string(let s) = self { return "\"\(s)\"" }
        return rendered
    }
}

/// The JSON-Schema subset policies use to declare their config.
public indirect enum ConfigType: Sendable, Hashable {
    case string
    case number
    case integer
    case boolean
    case array(items: ConfigType?)
    case object
    case any

    public var name: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .array: return "array"
        case .object: return "object"
        case .any: return "any"
        }
    }

    /// Whether `value` has this type (array items checked too).
    public func accepts(_ value: ConfigValue) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object): return true
        case (.integer, .number(let n)): return n == n.rounded()
        case (.array(let items), .array(let elements)):
            guard let items else { return true }
            return elements.allSatisfy(items.accepts)
        default: return false
        }
    }
}

/// One declared config property.
public struct ConfigProperty: Sendable, Hashable {
    public var type: ConfigType
    public var description: String?
    public var defaultValue: ConfigValue?
    /// Allowed values, if restricted.
    public var allowed: [ConfigValue]?
    public var minimum: Double?
    public var maximum: Double?

    public init(type: ConfigType, description: String? = nil, default defaultValue: ConfigValue? = nil,
                allowed: [ConfigValue]? = nil, minimum: Double? = nil, maximum: Double? = nil) {
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.minimum = minimum
        self.maximum = maximum
    }

    /// nil when `value` is acceptable, else what was expected.
    public func problem(with value: ConfigValue) -> String? {
        guard type.accepts(value) else { return "expected a value of type \(type.name), found \(value.rendered)" }
        if let allowed, !allowed.contains(value) {
            return "expected one of \(allowed.map(\.rendered).joined(separator: ", ")), found \(value.rendered)"
        }
        if let n = value.number {
            if let minimum, n < minimum { return "expected at least \(ConfigValue.number(minimum).rendered), found \(value.rendered)" }
            if let maximum, n > maximum { return "expected at most \(ConfigValue.number(maximum).rendered), found \(value.rendered)" }
        }
        return nil
    }
}

/// A policy's config schema: named properties with types and defaults.
public struct ConfigSchema: Sendable, Hashable {
    public var properties: [String: ConfigProperty]
    public var required: [String]
    public init(properties: [String: ConfigProperty] = [:], required: [String] = []) {
        self.properties = properties
        self.required = required
    }
    public var isEmpty: Bool { properties.isEmpty }

    /// The defaults of every property that has one.
    public var defaults: PolicyConfig {
        PolicyConfig(properties.compactMapValues(\.defaultValue))
    }
}

/// A policy's effective configuration (defaults overlaid with the stack's settings).
public struct PolicyConfig: Sendable, Hashable {
    public var values: [String: ConfigValue]
    public init(_ values: [String: ConfigValue] = [:]) { self.values = values }

    public subscript(key: String) -> ConfigValue? { values[key] }
    public func string(_ key: String) -> String? { values[key]?.string }
    public func number(_ key: String) -> Double? { values[key]?.number }
    public func bool(_ key: String) -> Bool? { values[key]?.bool }
    public func strings(_ key: String) -> [String]? { values[key]?.array?.compactMap(\.string) }

    /// This config with `other`'s values on top.
    public func merging(_ other: PolicyConfig) -> PolicyConfig {
        PolicyConfig(values.merging(other.values) { _, new in new })
    }

    /// The same values in storage of its own, for one of several evaluating workers (see
    /// `ResourcePolicy.copyForWorker()`).
    public func copyForWorker() -> PolicyConfig {
        PolicyConfig(Dictionary(uniqueKeysWithValues: values.map { ($0.key, $0.value.copyForWorker()) }))
    }
}

extension ConfigValue {
    /// The same value in storage of its own (see `PolicyConfig.copyForWorker()`).
    public func copyForWorker() -> ConfigValue {
        switch self {
        case .null, .bool, .number: return self
        case .string(let text): return .string(String(decoding: Array(text.utf8), as: UTF8.self))
        case .array(let elements): return .array(elements.map { $0.copyForWorker() })
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value.copyForWorker()) }))
        }
    }
}
