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
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
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
        out.append(">")
        open.append(name)
        hasChildren.append(false)
    }

    /// Closes the innermost element.
    public mutating func end() {
        let name = open.removeLast()
        if hasChildren.removeLast() {
            out.append("\n")
            indent()
        }
        out.append("</")
        out.append(utf8: name)
        out.append(">")
        if open.isEmpty { out.append("\n") }
    }

    /// Writes `<name attr="…"/>`, or `<name attr="…">text</name>` when text is given.
    public mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        startTag(name)
        writeAttributes(attributes)
        guard var text else {
            out.append("/>")
            return
        }
        out.append(">")
        text.withUTF8 { XMLWriter.escape($0, inAttribute: false, into: &out) }
        endTag(name)
    }

    /// Appends `text`, escaped, as the text of the innermost open element (opened by `start(_:)`, with no child
    /// elements): for a long text written piece by piece, such as a suite's output.
    public mutating func text(_ text: String) {
        self.text { $0.append(utf8: text) }
    }

    /// Appends the text `write` puts straight into the output, then escapes it if it needs escaping (mostly it
    /// does not): for text written in many small pieces (a suite's advisory lines), each of which escaped apart
    /// cost more than its bytes. `write` only appends.
    public mutating func text(_ write: (inout OutputRoom) -> Void) {
        let start = out.count
        write(&out)
        guard out.withBytes({ XMLWriter.mayNeedEscape(text: UnsafeBufferPointer(rebasing: $0[start...])) }) else { return }
        let raw = out.withBytes { Array($0[start...]) }
        out.truncate(to: start)
        raw.withUnsafeBufferPointer { XMLWriter.escape($0, inAttribute: false, into: &out) }
    }

    /// An attribute value escaped once, for a value many elements share (a JUnit case's name and class name):
    /// written by `element(_:_:_:_:)` as a copy of its bytes.
    public struct AttributeValue: Sendable {
        fileprivate let escaped: [UInt8]

        public init(_ value: String) {
            var value = value
            // Room for the value as it is, which is what it mostly escapes to: a name's room is kept for the
            // report's life, one per subject.
            var room = OutputRoom(capacity: value.utf8.count)
            value.withUTF8 { XMLWriter.escape($0, inAttribute: true, into: &room) }
            escaped = room.takeAllBytes()
        }
    }

    /// Writes `<name a="…" b="…" c="…"/>` from three attributes with their values escaped ahead, in one copy into
    /// the output: for the element a report writes once per case (most of a JUnit report), where writing each
    /// piece apart cost more than the bytes.
    public mutating func element(_ name: StaticString, _ a: (StaticString, AttributeValue), _ b: (StaticString, AttributeValue),
                                 _ c: (StaticString, AttributeValue)) {
        writeTag(name, a, b, c, empty: true)
    }

    /// Opens `<name a="…" b="…" c="…">`, as `element(_:_:_:_:)` writes its tag.
    public mutating func start(_ name: StaticString, _ a: (StaticString, AttributeValue), _ b: (StaticString, AttributeValue),
                               _ c: (StaticString, AttributeValue)) {
        writeTag(name, a, b, c, empty: false)
        open.append(name.description)
        hasChildren.append(false)
    }

    private mutating func writeTag(_ name: StaticString, _ a: (StaticString, AttributeValue), _ b: (StaticString, AttributeValue),
                                   _ c: (StaticString, AttributeValue), empty: Bool) {
        let newline = hasChildren.isEmpty ? 0 : 1
        if newline == 1 { hasChildren[hasChildren.count - 1] = true }
        let indent = 2 * open.count
        // `<name`, then ` key="value"` three times, then `/>` or `>`.
        let attributes = a.0.utf8CodeUnitCount + a.1.escaped.count + b.0.utf8CodeUnitCount + b.1.escaped.count
            + c.0.utf8CodeUnitCount + c.1.escaped.count + 3 * 4
        let count = newline + indent + 1 + name.utf8CodeUnitCount + attributes + (empty ? 2 : 1)
        out.withRoom(count) { start in
            var p = start
            @inline(__always) func put(_ byte: UInt8) {
                p.pointee = byte
                p += 1
            }
            @inline(__always) func put(_ literal: StaticString) {
                p.update(from: literal.utf8Start, count: literal.utf8CodeUnitCount)
                p += literal.utf8CodeUnitCount
            }
            @inline(__always) func put(_ attribute: (StaticString, AttributeValue)) {
                put(0x20)
                put(attribute.0)
                put(0x3D)
                put(0x22)
                attribute.1.escaped.withUnsafeBufferPointer { value in
                    if let base = value.baseAddress { p.update(from: base, count: value.count) }
                    p += value.count
                }
                put(0x22)
            }
            if newline == 1 { put(0x0A) }
            p.update(repeating: 0x20, count: indent)
            p += indent
            put(0x3C)
            put(name)
            put(a)
            put(b)
            put(c)
            if empty { put(0x2F) }
            put(0x3E)
            return p - start
        }
    }

    private mutating func startTag(_ name: String) {
        if !hasChildren.isEmpty {
            hasChildren[hasChildren.count - 1] = true
            out.append("\n")
        }
        indent()
        out.append("<")
        out.append(utf8: name)
    }

    private mutating func endTag(_ name: String) {
        out.append("</")
        out.append(utf8: name)
        out.append(">")
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
        out.append(" ")
        out.append(utf8: key)
        out.append("=\"")
        var value = value
        value.withUTF8 { XMLWriter.escape($0, inAttribute: true, into: &out) }
        out.append("\"")
    }

    /// Appends `s` escaped to `out`. Everything that needs escaping is ASCII, or U+FFFE/U+FFFF (`EF BF BE`/`EF BF BF`),
    /// so runs of other bytes are copied whole: found sixteen bytes at a time (`mayNeedCare`), and within a block
    /// that may hold such a byte with the `textCare` or `attributeCare` table.
    private static func escape(_ s: UnsafeBufferPointer<UInt8>, inAttribute: Bool, into out: inout OutputRoom) {
        guard let base = s.baseAddress else { return }
        let n = s.count
        let table = inAttribute ? XMLWriter.attributeCare : XMLWriter.textCare
        table.withUnsafeBufferPointer { care in escape(base, n, care.baseAddress.unsafelyUnwrapped, inAttribute: inAttribute, into: &out) }
    }

    private static func escape(_ base: UnsafePointer<UInt8>, _ n: Int, _ care: UnsafePointer<UInt8>, inAttribute: Bool,
                               into out: inout OutputRoom) {
        var runStart = 0
        var k = 0
        while k < n {
            // The run of bytes that need no care: sixteen at a time past blocks with none; in a block that may
            // hold one (or the last few bytes), byte by byte to the end of the block.
            if k &+ 16 <= n {
                if !XMLWriter.mayNeedCare(UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self), inAttribute: inAttribute) {
                    k &+= 16
                    continue
                }
                let end = k &+ 16
                while k < end && care[Int(base[k])] == 0 { k &+= 1 }
                // (The block check and the table mark the same bytes, so this is only a guard.)
                if k == end { continue }
            } else {
                while k < n && care[Int(base[k])] == 0 { k &+= 1 }
                guard k < n else { break }
            }
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
            if runStart < k { out.append(UnsafeBufferPointer(start: base + runStart, count: k &- runStart)) }
            out.append(replacement)
            k &+= width
            runStart = k
        }
        if runStart < n { out.append(UnsafeBufferPointer(start: base + runStart, count: n &- runStart)) }
    }

    /// Whether a block holds a byte the care table marks: `attributeCare`'s, or `textCare`'s (tab and LF left out).
    @inline(__always)
    private static func mayNeedCare(_ v: SIMD16<UInt8>, inAttribute: Bool) -> Bool {
        // Lane-wise bit arithmetic, as `JSONWriter`'s check: the high bit of a lane of `zero(x)` is set exactly
        // where that lane of `x` is 0, and of `(v - 0x20) & ~v` where `v` is below 0x20.
        @inline(__always) func zero(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> { (x &- SIMD16(repeating: 1)) & ~x }
        @inline(__always) func equal(_ byte: UInt8) -> SIMD16<UInt8> { zero(v ^ SIMD16(repeating: byte)) }
        var control = (v &- SIMD16(repeating: 0x20)) & ~v
        if !inAttribute { control &= ~(equal(0x09) | equal(0x0A)) }
        let found = control | equal(0x3C) | equal(0x3E) | equal(0x26) | equal(0x22) | equal(0x27) | equal(0xEF)
        let words = unsafeBitCast(found & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// Whether escaping `bytes` as element text may change them (an `EF` byte counts, whatever follows it).
    private static func mayNeedEscape(text bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        var k = 0
        while k &+ 16 <= n {
            if mayNeedCare(UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self), inAttribute: false) { return true }
            k &+= 16
        }
        return textCare.withUnsafeBufferPointer { care in
            while k < n {
                if care[Int(base[k])] != 0 { return true }
                k &+= 1
            }
            return false
        }
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
        var escaped = OutputRoom()
        text.withUTF8 { XMLWriter.escape($0, inAttribute: inAttribute, into: &escaped) }
        return String(decoding: escaped.takeAllBytes(), as: UTF8.self)
    }
}
