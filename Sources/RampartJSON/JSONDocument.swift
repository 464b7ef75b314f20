// CONTRACT FILE — public API of RampartJSON. Bodies are placeholders until the parser lands.

/// The kinds of JSON value (RFC 8259).
public enum JSONKind: UInt8, Sendable, Hashable {
    case null, bool, number, string, array, object
}

/// Limits that bound work on hostile input.
public struct JSONLimits: Sendable, Hashable {
    /// Deepest allowed nesting of arrays/objects.
    public var maxDepth: Int
    /// Largest accepted document in bytes.
    public var maxBytes: Int
    public init(maxDepth: Int = 512, maxBytes: Int = 4 << 30) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }
}

/// A parse failure, located by line, column (1-based, columns count bytes) and JSON path (`$.a.b[3]`).
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case unexpected(found: String, expected: String)
        case truncated(expected: String)
        case invalidUTF8
        case invalidEscape
        case controlCharacterInString
        case numberOutOfRange
        case tooDeep(limit: Int)
        case tooLarge(limit: Int)
        case trailingContent
        case empty
    }
    public var reason: Reason
    public var line: Int
    public var column: Int
    public var path: String
    public var byteOffset: Int
    public init(reason: Reason, line: Int, column: Int, path: String, byteOffset: Int) {
        self.reason = reason; self.line = line; self.column = column; self.path = path; self.byteOffset = byteOffset
    }
    /// e.g. `line 3, column 7 (at $.deployment.resources[2]): expected ',' or '}', found 'x'`
    public var description: String { fatalError("contract") }
}

/// An immutable parsed document: the input bytes plus a compact tape. Values are read lazily through `JSONNode`.
public final class JSONDocument: Sendable {
    /// Parses `bytes` (takes ownership; no copy of string contents is made). Validates strictly.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONDocument { fatalError("contract") }
    public static func parse(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONDocument { fatalError("contract") }
    public var root: JSONNode { fatalError("contract") }
    public var byteCount: Int { fatalError("contract") }
    /// 1-based line and column of a byte offset.
    public func location(ofByteOffset offset: Int) -> (line: Int, column: Int) { fatalError("contract") }
    private init() {}
}

/// A cheap handle to one value of a document.
public struct JSONNode: Sendable {
    public let document: JSONDocument
    public var kind: JSONKind { fatalError("contract") }
    /// Byte offset of the value's first byte in the input.
    public var byteOffset: Int { fatalError("contract") }
    public var isNull: Bool { kind == .null }
    public var bool: Bool? { fatalError("contract") }
    public var number: Double? { fatalError("contract") }
    /// The number's text exactly as written (for integers beyond Double precision).
    public var numberText: String? { fatalError("contract") }
    /// The decoded string (allocated on each call).
    public var string: String? { fatalError("contract") }
    /// Compares a string value with `other` without allocating.
    public func stringEquals(_ other: String) -> Bool { fatalError("contract") }
    /// Number of elements (array) or members (object); 0 otherwise.
    public var count: Int { fatalError("contract") }
    /// Member lookup; with duplicate keys the last one wins. Does not allocate for escape-free keys.
    public subscript(key: String) -> JSONNode? { fatalError("contract") }
    public subscript(index: Int) -> JSONNode? { fatalError("contract") }
    /// Array elements in order (empty for non-arrays).
    public var elements: JSONElements { fatalError("contract") }
    /// Object members in order (empty for non-objects); keys are string nodes.
    public var members: JSONMembers { fatalError("contract") }
}

public struct JSONElements: Sequence, Sendable {
    public struct Iterator: IteratorProtocol { public mutating func next() -> JSONNode? { fatalError("contract") } }
    public func makeIterator() -> Iterator { fatalError("contract") }
}

public struct JSONMembers: Sequence, Sendable {
    public struct Iterator: IteratorProtocol { public mutating func next() -> (key: JSONNode, value: JSONNode)? { fatalError("contract") } }
    public func makeIterator() -> Iterator { fatalError("contract") }
}
