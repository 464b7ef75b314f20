/// A small streaming XML writer: indented elements, attributes in the order given (callers pass a fixed order,
/// so output is deterministic), and escaping that keeps any Swift string well-formed XML 1.0.
struct XMLWriter {
    private(set) var output: [UInt8] = []
    private var open: [String] = []
    /// Whether the innermost open element already has child elements (its end tag then goes on its own line).
    private var hasChildren: [Bool] = []

    init() {
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// How many bytes are buffered (written since creation or the last `takeBytes()`).
    var byteCount: Int { output.count }

    /// Hands over the bytes written so far and empties the buffer; writing continues where it left off.
    mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        taken.reserveCapacity(Swift.min(output.count, 1 << 22))
        swap(&taken, &output)
        return taken
    }

    /// Opens `<name attr="…">`.
    mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
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
    mutating func end() {
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
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
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

    /// Appends `text` escaped. Most text needs nothing: its UTF-8 is scanned for the bytes that could need
    /// escaping (ASCII markup and controls, and 0xEF, the lead byte of U+FFFE/U+FFFF) and copied as it is.
    private mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        var text = text
        let plain = text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case 0x3C, 0x3E, 0x26, 0x22, 0x27, 0xEF: return false
                case 0x09, 0x0A: if inAttribute { return false }
                case 0..<0x20: return false
                default: break
                }
            }
            output.append(contentsOf: bytes)
            return true
        }
        if !plain { append(XMLWriter.escape(text, inAttribute: inAttribute)) }
    }

    /// Escapes markup characters and replaces characters XML 1.0 does not allow (C0 controls other than tab,
    /// LF and CR; U+FFFE and U+FFFF) with U+FFFD. Lone surrogates cannot occur in a Swift `String`. In attributes
    /// tab, LF and CR become character references so attribute-value normalisation keeps them; in text CR does,
    /// so end-of-line handling keeps it.
    static func escape(_ text: String, inAttribute: Bool) -> String {
        var needs = false
        for u in text.unicodeScalars {
            switch u.value {
            case 0x3C, 0x3E, 0x26, 0x22, 0x27, 0x0D, 0xFFFE, 0xFFFF: needs = true
            case 0x09, 0x0A: needs = needs || inAttribute
            case 0..<0x20: needs = true
            default: break
            }
            if needs { break }
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0x3C: out.append(contentsOf: "&lt;".unicodeScalars)
            case 0x3E: out.append(contentsOf: "&gt;".unicodeScalars)
            case 0x26: out.append(contentsOf: "&amp;".unicodeScalars)
            case 0x22: out.append(contentsOf: "&quot;".unicodeScalars)
            case 0x27: out.append(contentsOf: "&apos;".unicodeScalars)
            case 0x0D: out.append(contentsOf: "&#13;".unicodeScalars)
            case 0x09 where inAttribute: out.append(contentsOf: "&#9;".unicodeScalars)
            case 0x0A where inAttribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case 0x09, 0x0A: out.append(u)
            case 0..<0x20, 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }
}
