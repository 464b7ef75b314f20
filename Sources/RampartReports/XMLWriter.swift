/// A small streaming XML writer: indented elements, attributes in the order given (callers pass a fixed order,
/// so output is deterministic), and escaping that keeps any Swift string well-formed XML 1.0. The one XML writer and
/// escaping of the code base: the JUnit reporter and `rampart test`'s JUnit output both use it.
public struct XMLWriter {
    /// The bytes written so far (the XML declaration first).
    public private(set) var output: [UInt8] = []
    private var open: [String] = []
    /// Whether the innermost open element already has child elements (its end tag then goes on its own line).
    private var hasChildren: [Bool] = []

    public init() {
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// How many bytes are buffered (written since creation or the last `takeBytes()`).
    public var byteCount: Int { output.count }

    /// Hands over the bytes written so far and empties the buffer; writing continues where it left off.
    public mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        taken.reserveCapacity(Swift.min(output.count, 1 << 22))
        swap(&taken, &output)
        return taken
    }

    /// Opens `<name attr="…">`.
    public mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        markChild()
        indent()
        append("<")
        append(name)
        writeAttributes(attributes)
        append(">")
        open.append(name)
        hasChildren.append(false)
    }

    /// Closes the innermost element.
    public mutating func end() {
        let name = open.removeLast()
        if hasChildren.removeLast() {
            append("\n")
            indent()
        }
        append("</")
        append(name)
        append(">")
        if open.isEmpty { append("\n") }
    }

    /// Writes `<name attr="…"/>`, or `<name attr="…">text</name>` when text is given.
    public mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        markChild()
        indent()
        append("<")
        append(name)
        writeAttributes(attributes)
        if let text {
            append(">")
            appendEscaped(text, inAttribute: false)
            append("</")
            append(name)
            append(">")
        } else {
            append("/>")
        }
    }

    private mutating func markChild() {
        if !hasChildren.isEmpty {
            hasChildren[hasChildren.count - 1] = true
            append("\n")
        }
    }

    private mutating func indent() {
        output.append(contentsOf: repeatElement(0x20, count: 2 * open.count))
    }

    private mutating func writeAttributes(_ attributes: [(String, String)]) {
        for (key, value) in attributes {
            append(" ")
            append(key)
            append("=\"")
            appendEscaped(value, inAttribute: true)
            append("\"")
        }
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { output.append(contentsOf: $0) }
    }

    /// Appends `text` escaped, working on its UTF-8: everything that needs escaping is ASCII, or U+FFFE/U+FFFF
    /// (`EF BF BE`/`EF BF BF`), so runs of other bytes are copied as they are.
    private mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        var text = text
        text.withUTF8 { XMLWriter.escape($0, inAttribute: inAttribute, into: &output) }
    }

    private static func escape(_ s: UnsafeBufferPointer<UInt8>, inAttribute: Bool, into out: inout [UInt8]) {
        var runStart = 0
        var k = 0
        let n = s.count
        while k < n {
            let c = s[k]
            let replacement: StaticString
            var width = 1
            switch c {
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x26: replacement = "&amp;"
            case 0x22: replacement = "&quot;"
            case 0x27: replacement = "&apos;"
            case 0x0D: replacement = "&#13;"
            case 0x09 where inAttribute: replacement = "&#9;"
            case 0x0A where inAttribute: replacement = "&#10;"
            case 0x09, 0x0A:
                k &+= 1
                continue
            case 0..<0x20: replacement = "\u{FFFD}"
            case 0xEF where k + 2 < n && s[k + 1] == 0xBF && (s[k + 2] == 0xBE || s[k + 2] == 0xBF):
                replacement = "\u{FFFD}"
                width = 3
            default:
                k &+= 1
                continue
            }
            if runStart < k { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<k])) }
            out.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            k &+= width
            runStart = k
        }
        if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n])) }
    }

    /// Escapes markup characters and replaces characters XML 1.0 does not allow (C0 controls other than tab,
    /// LF and CR; U+FFFE and U+FFFF) with U+FFFD. Lone surrogates cannot occur in a Swift `String`. In attributes
    /// tab, LF and CR become character references so attribute-value normalisation keeps them; in text CR does,
    /// so end-of-line handling keeps it.
    public static func escape(_ text: String, inAttribute: Bool) -> String {
        var text = text
        var out: [UInt8] = []
        text.withUTF8 { escape($0, inAttribute: inAttribute, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
