/// A streaming JSON writer producing UTF-8 bytes. Output is deterministic: members are written in call order.
/// Strings are escaped per RFC 8259 (control characters as \u00XX, `"` and `\`); `/` is not escaped.
///
/// Commas are inserted automatically. In `.pretty` style every member/element starts on a new line indented by
/// `indent` spaces per level, members are written `"key": value`, empty containers as `{}`/`[]`, and no trailing
/// newline is added. Calling `key` outside an object, or a value inside an object without a preceding `key`,
/// is a programming error (checked by assertions in debug builds) and produces invalid JSON.
public struct JSONWriter: Sendable {
    /// Output layout.
    public enum Style: Sendable {
        /// No whitespace at all.
        case compact
        /// One member/element per line, indented by `indent` spaces per level.
        case pretty(indent: Int)
    }

    private struct Level: Sendable {
        var isObject: Bool
        var count: Int
    }

    private var output: [UInt8] = []
    private var levels: [Level] = []
    private var afterKey = false
    private let indent: Int
    private let pretty: Bool
    private let scriptSafe: Bool

    /// How strings are escaped beyond what RFC 8259 requires.
    public enum Escaping: Sendable {
        /// Only what JSON requires.
        case standard
        /// Also `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`, so the text can sit inside an HTML `<script>` element
        /// (no `</script>` or `<!--` can end or change it) and be read by any JavaScript engine. Only strings can
        /// hold these characters, so the document means exactly the same.
        case htmlScript
    }

    /// Creates an empty writer.
    public init(style: Style = .compact, escaping: Escaping = .standard) {
        scriptSafe = escaping == .htmlScript
        switch style {
        case .compact:
            pretty = false
            indent = 0
        case .pretty(let indent):
            pretty = true
            self.indent = Swift.max(0, indent)
        }
    }

    /// The UTF-8 output so far.
    public var bytes: [UInt8] { output }
    /// The output so far as a string.
    public var string: String { String(decoding: output, as: UTF8.self) }
    /// How many bytes are buffered (written since creation or the last `takeBytes()`).
    public var byteCount: Int { output.count }

    /// Hands over the bytes written so far and empties the buffer; writing continues where it left off (open
    /// containers stay open), so a large document can be streamed out in chunks.
    public mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        // The next chunk will be about as large as this one (a streaming caller takes at a fixed size); capped so
        // a one-off take of a whole document does not leave a huge empty buffer behind.
        taken.reserveCapacity(Swift.min(output.count, 1 << 22))
        swap(&taken, &output)
        return taken
    }

    /// Opens an object.
    public mutating func beginObject() {
        beforeValue()
        output.append(0x7B)
        levels.append(Level(isObject: true, count: 0))
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        assert(levels.last?.isObject == true && !afterKey, "endObject without a matching beginObject")
        close(0x7D)
    }

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        output.append(0x5B)
        levels.append(Level(isObject: false, count: 0))
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        assert(levels.last?.isObject == false, "endArray without a matching beginArray")
        close(0x5D)
    }

    /// A member name escaped and quoted once, for names a writer repeats in every record: reporters keep them as
    /// static constants and `key(_:)` copies their bytes. (`.htmlScript` escaping does not apply to them: keep
    /// such names to letters and digits.)
    public struct Key: Sendable {
        fileprivate let quoted: [UInt8]

        public init(_ name: String) {
            var writer = JSONWriter()
            writer.string(name)
            quoted = writer.output
        }
    }

    /// Writes a member key inside an object; the next value call writes its value.
    public mutating func key(_ key: String) {
        startKey()
        key.withUTF8Buffer { writeEscaped($0) }
        endKey()
    }

    /// Writes a pre-escaped member key inside an object; the next value call writes its value.
    public mutating func key(_ key: Key) {
        startKey()
        key.quoted.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        endKey()
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        beforeValue()
        value.withUTF8Buffer { writeEscaped($0) }
    }

    /// Writes a string value from its UTF-8 bytes.
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        beforeValue()
        writeEscaped(value)
    }

    /// Integral doubles print without a fraction (`3`, not `3.0`); non-finite values print as `null`.
    ///
    /// Integral values within ±2^53 print as integers (`-0.0` prints as `0`, like JavaScript); other values
    /// use Swift's shortest round-trip representation (`1.5`, `1e-07`, `1e+300`), which is valid JSON.
    public mutating func number(_ value: Double) {
        beforeValue()
        guard value.isFinite else {
            appendASCII("null")
            return
        }
        if value.rounded(.towardZero) == value && Swift.abs(value) <= 9_007_199_254_740_992 {
            writeInteger(Int(value))
        } else {
            appendASCII(value.description)
        }
    }

    /// Writes an integer.
    public mutating func number(_ value: Int) {
        beforeValue()
        writeInteger(value)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        beforeValue()
        appendASCII(value ? "true" : "false")
    }

    /// Writes `null`.
    public mutating func null() {
        beforeValue()
        appendASCII("null")
    }

    /// Re-emits a parsed node (and its subtree) verbatim in structure.
    ///
    /// Strings and numbers are copied exactly as written in the source (they were validated when parsed), so
    /// escapes such as `\u00e9` and number spellings such as `1E3` are preserved; layout follows this writer.
    /// Being verbatim, strings copied this way do not get `.htmlScript` escaping.
    public mutating func node(_ node: JSONNode) {
        node.document.withStorage { b, t in
            var i = node.index
            let end = Tape.next(t, i)
            var closeAt: [Int] = []
            while true {
                while let last = closeAt.last, last == i {
                    closeAt.removeLast()
                    if levels.last?.isObject == true { close(0x7D) } else { close(0x5D) }
                }
                if i >= end { break }
                let e = t[i]
                if levels.last?.isObject == true && !afterKey && !closeAt.isEmpty {
                    startKey()
                    writeRawString(e, b)
                    endKey()
                    i &+= 1
                    continue
                }
                switch Tape.tag(e) {
                case Tape.tagNull:
                    null()
                case Tape.tagFalse:
                    bool(false)
                case Tape.tagTrue:
                    bool(true)
                case Tape.tagNumber:
                    beforeValue()
                    let start = Tape.offset(e)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<Tape.numberEnd(b, start)]))
                case Tape.tagString:
                    beforeValue()
                    writeRawString(e, b)
                case Tape.tagArray:
                    beginArray()
                    closeAt.append(Tape.next(t, i))
                    i &+= 2
                    continue
                default:
                    beginObject()
                    closeAt.append(Tape.next(t, i))
                    i &+= 2
                    continue
                }
                i &+= 1
            }
        }
    }

    // MARK: - Internals

    private mutating func writeRawString(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>) {
        let (start, count) = Tape.stringExtent(e, b)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: b[(start - 1)..<(start + count + 1)]))
    }

    private mutating func startKey() {
        assert(levels.last?.isObject == true && !afterKey, "key(_:) is only valid inside an object, before a value")
        if let top = levels.indices.last {
            if levels[top].count > 0 { output.append(0x2C) }
            levels[top].count += 1
        }
        if pretty { newline() }
    }

    private mutating func endKey() {
        output.append(0x3A)
        if pretty { output.append(0x20) }
        afterKey = true
    }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let top = levels.indices.last else { return }
        assert(!levels[top].isObject, "a value inside an object needs a key(_:) first")
        if levels[top].count > 0 { output.append(0x2C) }
        levels[top].count += 1
        if pretty { newline() }
    }

    private mutating func close(_ bracket: UInt8) {
        guard let level = levels.popLast() else { return }
        afterKey = false
        if pretty && level.count > 0 { newline() }
        output.append(bracket)
    }

    private mutating func newline() {
        output.append(0x0A)
        // Byte by byte rather than from a generic `repeatElement` collection (several times slower for the few
        // spaces of an indent): reports write a newline and indentation before every member.
        let spaces = levels.count * indent
        for _ in 0..<spaces { output.append(0x20) }
    }

    private mutating func appendASCII(_ s: String) {
        s.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private mutating func writeInteger(_ value: Int) {
        if value < 0 { output.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { raw in
            var k = raw.count
            repeat {
                k -= 1
                raw[k] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude != 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[k...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        output.append(0x22)
        var runStart = 0
        var k = 0
        let n = s.count
        while k < n {
            // Eight bytes at a time over the long runs that need no escape (most of a report's text).
            if let base = s.baseAddress {
                while k &+ 8 <= n, !JSONWriter.mayNeedEscape(UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self), scriptSafe) {
                    k &+= 8
                }
                if k >= n { break }
            }
            let c = s[k]
            if c >= 0x20 && c != 0x22 && c != 0x5C && !(scriptSafe && Self.needsScriptEscape(c, s, k)) {
                k &+= 1
                continue
            }
            if runStart < k { output.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<k])) }
            output.append(0x5C)
            if c == 0xE2 {
                // U+2028 / U+2029 (E2 80 A8 / E2 80 A9): three bytes become one escape.
                output.append(contentsOf: [0x75, 0x32, 0x30, 0x32, s[k &+ 2] == 0xA8 ? 0x38 : 0x39])
                k &+= 3
                runStart = k
                continue
            }
            switch c {
            case 0x22: output.append(0x22)
            case 0x5C: output.append(0x5C)
            case 0x0A: output.append(0x6E)
            case 0x0D: output.append(0x72)
            case 0x09: output.append(0x74)
            case 0x08: output.append(0x62)
            case 0x0C: output.append(0x66)
            default:
                output.append(contentsOf: [0x75, 0x30, 0x30, Self.hexDigits[Int(c >> 4)], Self.hexDigits[Int(c & 0xF)]])
            }
            k &+= 1
            runStart = k
        }
        if runStart < n { output.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n])) }
        output.append(0x22)
    }

    /// Whether any of the eight bytes in `word` may need an escape: below 0x20, `"` or `\`, and with `scriptSafe`
    /// also `<`, `>`, `&` or 0xE2 (the lead byte of U+2028/U+2029). Exact about "none" (the bytes are then copied
    /// as they are); a "maybe" sends the writer through the byte-by-byte check.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64, _ scriptSafe: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        @inline(__always) func has(_ byte: UInt8) -> Bool { hasZero(word ^ (ones &* UInt64(byte))) }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        if control || has(0x22) || has(0x5C) { return true }
        return scriptSafe && (has(0x3C) || has(0x3E) || has(0x26) || has(0xE2))
    }

    /// Whether byte `k` starts a character `.htmlScript` escapes: `<`, `>`, `&`, or U+2028/U+2029.
    @inline(__always)
    private static func needsScriptEscape(_ c: UInt8, _ s: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        switch c {
        case 0x3C, 0x3E, 0x26: return true
        case 0xE2: return k &+ 2 < s.count && s[k &+ 1] == 0x80 && (s[k &+ 2] == 0xA8 || s[k &+ 2] == 0xA9)
        default: return false
        }
    }
}
