// CONTRACT FILE — public API of the JSON writer. Bodies are placeholders until the writer lands.

/// A streaming JSON writer producing UTF-8 bytes. Output is deterministic: members are written in call order.
/// Strings are escaped per RFC 8259 (control characters as \u00XX, `"` and `\`); `/` is not escaped.
public struct JSONWriter: Sendable {
    public enum Style: Sendable { case compact, pretty(indent: Int) }
    public init(style: Style = .compact) { fatalError("contract") }
    public var bytes: [UInt8] { fatalError("contract") }
    public var string: String { fatalError("contract") }
    public mutating func beginObject() { fatalError("contract") }
    public mutating func endObject() { fatalError("contract") }
    public mutating func beginArray() { fatalError("contract") }
    public mutating func endArray() { fatalError("contract") }
    /// Writes a member key inside an object; the next value call writes its value.
    public mutating func key(_ key: String) { fatalError("contract") }
    public mutating func string(_ value: String) { fatalError("contract") }
    /// Integral doubles print without a fraction (`3`, not `3.0`); non-finite values print as `null`.
    public mutating func number(_ value: Double) { fatalError("contract") }
    public mutating func number(_ value: Int) { fatalError("contract") }
    public mutating func bool(_ value: Bool) { fatalError("contract") }
    public mutating func null() { fatalError("contract") }
    /// Re-emits a parsed node (and its subtree) verbatim in structure.
    public mutating func node(_ node: JSONNode) { fatalError("contract") }
}
