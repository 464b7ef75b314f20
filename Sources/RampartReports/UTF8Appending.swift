extension Array where Element == UInt8 {
    /// Appends a literal's UTF-8 bytes from its static storage: cheaper than the same text as a `String`.
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 bytes in one copy (appending its `utf8` view goes element by element).
    @inline(__always)
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
