import RampartJSON

/// A small streaming XML writer: indented elements, attributes in the order given (callers pass a fixed order,
/// so output is deterministic), and escaping that keeps any Swift string well-formed XML 1.0. The one XML writer and
/// escaping of the code base: the JUnit reporter and `rampart test`'s JUnit output both use it.
public struct XMLWriter: Sendable {
    /// The output: a write checks the room once and copies its bytes in, rather than appending to an array piece
    /// by piece (a JUnit report makes millions of small writes).
    private var out = OutputRoom()
    private var open: [String] = []
    /// Whether the innermost open element already has child elements (its end tag then goes on its own line).
    private var hasChildren: [Bool] = []

    public init() {
        appendLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// The bytes written so far (the XML declaration first), or since the last `takeBytes()`.
    public var output: [UInt8] { out.bytes }

    /// How many bytes are buffered (written since creation or the last `takeBytes()`).
    public var byteCount: Int { out.count }

    /// Hands over the bytes written so far and empties the buffer; writing continues where it left off.
    public mutating func takeBytes() -> [UInt8] { out.takeBytes() }

    /// An empty writer in this one's place (the same elements open, the same children written): elements written
    /// by continuations, on other threads say, and joined in order after this writer's bytes read as if this writer
    /// had written them; `resume(after:)` then brings this writer to where the last continuation ended.
    /// `capacity`: bytes of room to allocate ahead, as `JSONWriter.continuation(after:capacity:)` takes.
    public func continuation(capacity: Int = 0) -> XMLWriter {
        var writer = self
        writer.out = OutputRoom(capacity: capacity)
        return writer
    }

    /// Takes the place `last` ended in (open elements, whether they have children), keeping this writer's own
    /// buffered bytes: after the elements of this writer's continuations, of which `last` wrote the final ones.
    public mutating func resume(after last: XMLWriter) {
        open = last.open
        hasChildren = last.hasChildren
    }

    /// Every byte written, giving up the writer (unlike `takeBytes()`, it keeps no room for more).
    public consuming func finalBytes() -> [UInt8] { out.takeAllBytes() }

    /// Opens `<name attr="…">`.
    public mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        startTag(name)
        writeAttributes(attributes)
        appendLiteral(">")
        open.append(name)
        hasChildren.append(false)
    }

    /// Closes the innermost element.
    public mutating func end() {
        let name = open.removeLast()
        if hasChildren.removeLast() {
            appendLiteral("\n")
            indent()
        }
        appendLiteral("</")
        append(name)
        appendLiteral(">")
        if open.isEmpty { appendLiteral("\n") }
    }

    /// Writes `<name attr="…"/>`, or `<name attr="…">text</name>` when text is given.
    public mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        startTag(name)
        writeAttributes(attributes)
        guard var text else {
            appendLiteral("/>")
            return
        }
        appendLiteral(">")
        text.withUTF8 { escape($0, inAttribute: false) }
        endTag(name)
    }

    /// Writes `<name>text</name>` with the text given as UTF-8 bytes (escaped like `element`'s text): for a long
    /// text assembled piece by piece, such as a suite's output.
    public mutating func element(_ name: String, utf8 text: [UInt8]) {
        element(name, escaped: [XMLWriter.escaped(text)])
    }

    /// Writes `<name>text</name>` with the text's pieces, in order, each already escaped by `escaped(_:)` (escaped
    /// apart, on several threads: escaping works byte by byte but for U+FFFE and U+FFFF, so pieces cut between
    /// characters escape as the whole does).
    mutating func element(_ name: String, escaped pieces: [[UInt8]]) {
        startTag(name)
        appendLiteral(">")
        for piece in pieces { piece.withUnsafeBufferPointer { appendBytes($0) } }
        endTag(name)
    }

    /// `text` (UTF-8) escaped as element text.
    static func escaped(_ text: [UInt8]) -> [UInt8] {
        var writer = XMLWriter()
        _ = writer.takeBytes()
        text.withUnsafeBufferPointer { writer.escape($0, inAttribute: false) }
        return writer.finalBytes()
    }

    /// Writes `<name a="…" b="…" c="…"/>` from three attributes without building a list of them: for the elements
    /// a report writes once per case.
    public mutating func element(_ name: String, _ a: (String, String), _ b: (String, String), _ c: (String, String)) {
        startTag(name)
        attribute(a.0, a.1)
        attribute(b.0, b.1)
        attribute(c.0, c.1)
        appendLiteral("/>")
    }

    private mutating func startTag(_ name: String) {
        if !hasChildren.isEmpty {
            hasChildren[hasChildren.count - 1] = true
            appendLiteral("\n")
        }
        indent()
        appendLiteral("<")
        append(name)
    }

    private mutating func endTag(_ name: String) {
        appendLiteral("</")
        append(name)
        appendLiteral(">")
    }

    private mutating func indent() {
        let count = 2 * open.count
        out.withRoom(count) { p in
            p.update(repeating: 0x20, count: count)
            return count
        }
    }

    private mutating func writeAttributes(_ attributes: [(String, String)]) {
        for (key, value) in attributes { attribute(key, value) }
    }

    private mutating func attribute(_ key: String, _ value: String) {
        appendLiteral(" ")
        append(key)
        appendLiteral("=\"")
        var value = value
        value.withUTF8 { escape($0, inAttribute: true) }
        appendLiteral("\"")
    }

    private mutating func appendLiteral(_ text: StaticString) {
        appendBytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { appendBytes($0) }
    }

    private mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { out.append(bytes) }

    /// Appends `s` escaped. Everything that needs escaping is ASCII, or U+FFFE/U+FFFF (`EF BF BE`/`EF BF BF`), so
    /// runs of other bytes (found with the `textCare` or `attributeCare` table, a byte at a time) are copied whole.
    private mutating func escape(_ s: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        guard let base = s.baseAddress else { return }
        let n = s.count
        let table = inAttribute ? XMLWriter.attributeCare : XMLWriter.textCare
        table.withUnsafeBufferPointer { care in escape(base, n, care.baseAddress.unsafelyUnwrapped) }
    }

    private mutating func escape(_ base: UnsafePointer<UInt8>, _ n: Int, _ care: UnsafePointer<UInt8>) {
        var runStart = 0
        var k = 0
        while k < n {
            // The run of bytes that need no care.
            while k < n && care[Int(base[k])] == 0 { k &+= 1 }
            guard k < n else { break }
            let c = base[k]
            let replacement: StaticString
            var width = 1
            switch c {
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x26: replacement = "&amp;"
            case 0x22: replacement = "&quot;"
            case 0x27: replacement = "&apos;"
            case 0x0D: replacement = "&#13;"
            case 0x09: replacement = "&#9;"  // only in attributes: text leaves tabs alone
            case 0x0A: replacement = "&#10;"  // likewise
            case 0..<0x20: replacement = "\u{FFFD}"
            case 0xEF where k + 2 < n && base[k + 1] == 0xBF && (base[k + 2] == 0xBE || base[k + 2] == 0xBF):
                replacement = "\u{FFFD}"
                width = 3
            default:
                // An EF that does not start U+FFFE or U+FFFF: an ordinary byte.
                k &+= 1
                continue
            }
            if runStart < k { appendBytes(UnsafeBufferPointer(start: base + runStart, count: k &- runStart)) }
            appendBytes(UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            k &+= width
            runStart = k
        }
        if runStart < n { appendBytes(UnsafeBufferPointer(start: base + runStart, count: n &- runStart)) }
    }

    /// Bytes that may need escaping or replacing in text: markup characters, C0 controls but tab and LF, and
    /// `EF` (which may start U+FFFE or U+FFFF).
    private static let textCare: [UInt8] = careTable(inAttribute: false)
    /// The same in an attribute value, where tab and LF need a character reference too.
    private static let attributeCare: [UInt8] = careTable(inAttribute: true)

    private static func careTable(inAttribute: Bool) -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 256)
        for c in 0..<0x20 where inAttribute || (c != 0x09 && c != 0x0A) { table[c] = 1 }
        for c in [0x3C, 0x3E, 0x26, 0x22, 0x27, 0xEF] { table[c] = 1 }
        return table
    }

    /// Escapes markup characters and replaces characters XML 1.0 does not allow (C0 controls other than tab,
    /// LF and CR; U+FFFE and U+FFFF) with U+FFFD. Lone surrogates cannot occur in a Swift `String`. In attributes
    /// tab, LF and CR become character references so attribute-value normalisation keeps them; in text CR does,
    /// so end-of-line handling keeps it.
    public static func escape(_ text: String, inAttribute: Bool) -> String {
        var text = text
        var writer = XMLWriter()
        _ = writer.takeBytes()
        text.withUTF8 { writer.escape($0, inAttribute: inAttribute) }
        return String(decoding: writer.takeBytes(), as: UTF8.self)
    }
}
