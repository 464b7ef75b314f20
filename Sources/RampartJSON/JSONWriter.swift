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

    /// The output, written through `withRoom`.
    private var out = OutputRoom()
    /// The innermost open container (meaningful when `depth > 0`) and the ones around it.
    private var top = Level(isObject: false, count: 0)
    private var outer: [Level] = []
    private var depth = 0
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
    public var bytes: [UInt8] { out.bytes }
    /// The output so far as a string.
    public var string: String { out.withBytes { String(decoding: $0, as: UTF8.self) } }
    /// How many bytes are buffered (written since creation or the last `takeBytes()`).
    public var byteCount: Int { out.count }

    /// Hands over the bytes written so far and empties the buffer; writing continues where it left off (open
    /// containers stay open), so a large document can be streamed out in chunks.
    public mutating func takeBytes() -> [UInt8] { out.takeBytes() }

    /// An empty writer in this one's place: the same containers open, and `elements` more elements in the innermost
    /// than this one has written. Elements written by continuations (on other threads, say) and joined in order
    /// after this writer's bytes read as if this writer had written them all; `resume(after:)` then brings this
    /// writer to where the last continuation ended. `capacity`: bytes of room to allocate ahead, for a caller that
    /// knows about how much the continuation will write.
    public func continuation(after elements: Int, capacity: Int = 0) -> JSONWriter {
        var writer = self
        writer.out = OutputRoom(capacity: capacity)
        writer.top.count &+= elements
        return writer
    }

    /// Takes the place `last` ended in (open containers, counts), keeping this writer's own buffered bytes: after
    /// the elements of this writer's continuations, of which `last` wrote the final ones.
    public mutating func resume(after last: JSONWriter) {
        top = last.top
        outer = last.outer
        depth = last.depth
        afterKey = last.afterKey
    }

    /// Every byte written, giving up the writer (unlike `takeBytes()`, it keeps no room for more).
    public consuming func finalBytes() -> [UInt8] { out.takeAllBytes() }

    /// Opens an object.
    public mutating func beginObject() {
        beforeValue()
        appendByte(0x7B)
        open(isObject: true)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        assert(depth > 0 && top.isObject && !afterKey, "endObject without a matching beginObject")
        close(0x7D)
    }

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        appendByte(0x5B)
        open(isObject: false)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        assert(depth > 0 && !top.isObject, "endArray without a matching beginArray")
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
            quoted = writer.bytes
        }
    }

    /// Members written once and copied into the output as bytes: for a run of members many records repeat word for
    /// word (a policy's pack, name, level and severity in every finding of it). `recording(_:)` writes them as this
    /// writer would write them next; `replay(_:)` copies them into a writer at the same place (`canReplay(_:)`).
    public struct RecordedMembers: Sendable {
        fileprivate let bytes: [UInt8]
        fileprivate let count: Int
        fileprivate let depth: Int
        fileprivate let afterFirst: Bool

        /// No members: replaying them anywhere writes nothing.
        public init() { self.init(bytes: [], count: 0, depth: 0, afterFirst: false) }

        fileprivate init(bytes: [UInt8], count: Int, depth: Int, afterFirst: Bool) {
            self.bytes = bytes
            self.count = count
            self.depth = depth
            self.afterFirst = afterFirst
        }
    }

    /// The members `body` writes, as they would be written at this point of this writer (its style, its depth,
    /// after its members so far), which stays as it was. `body` writes whole members and closes what it opens.
    public func recording(_ body: (inout JSONWriter) -> Void) -> RecordedMembers {
        assert(depth > 0 && top.isObject && !afterKey, "members are recorded inside an object, before a key")
        var writer = continuation(after: 0)
        body(&writer)
        assert(writer.depth == depth && !writer.afterKey, "a recording writes whole members and closes what it opens")
        return RecordedMembers(bytes: writer.out.takeAllBytes(), count: writer.top.count &- top.count, depth: depth,
                               afterFirst: top.count > 0)
    }

    /// Whether `members` can be replayed here: in an object, before a key, at the depth they were recorded at, and
    /// after some member or none as when they were recorded (which decides their first separator). No members can
    /// be replayed anywhere.
    public func canReplay(_ members: RecordedMembers) -> Bool {
        members.count == 0
            || (depth == members.depth && depth > 0 && top.isObject && !afterKey && (top.count > 0) == members.afterFirst)
    }

    /// Writes recorded members: the same bytes their `recording` body would write here. Only where `canReplay`.
    public mutating func replay(_ members: RecordedMembers) {
        assert(canReplay(members), "recorded members replayed at another place")
        members.bytes.withUnsafeBufferPointer { appendBytes($0) }
        top.count &+= members.count
    }

    /// Writes the members `body` writes, by replaying `recorded` where it can be replayed here; else records them
    /// here, keeps the recording in `recorded` for the next place, and replays it. A memo of repeated members is an
    /// optional recording (nil: not recorded yet) that its owner sets back to nil when what it holds goes stale.
    public mutating func replay(_ recorded: inout RecordedMembers?, orRecord body: (inout JSONWriter) -> Void) {
        if let members = recorded, canReplay(members) {
            replay(members)
        } else {
            let members = recording(body)
            recorded = members
            replay(members)
        }
    }

    /// Writes a member key inside an object; the next value call writes its value.
    public mutating func key(_ key: String) {
        startKey()
        key.withUTF8Buffer { writeEscaped($0) }
        endKey()
    }

    /// Writes a member key from its UTF-8 bytes inside an object; the next value call writes its value.
    public mutating func key(utf8 key: UnsafeBufferPointer<UInt8>) {
        startKey()
        writeEscaped(key)
        endKey()
    }

    /// Writes a pre-escaped member key inside an object; the next value call writes its value.
    /// The separator, the key and its colon are written in one go (a report writes ~10 keys per finding).
    public mutating func key(_ key: Key) {
        writeName(key, valueRoom: 0) { _ in 0 }
        afterKey = true
    }

    /// Writes a member with a prepared name and a string value: the same bytes as `key(_:)` then `string(_:)`,
    /// written in one go (separator, name, colon and quoted value) when the value needs no escape, as most do.
    public mutating func member(_ key: Key, _ value: String) {
        value.withUTF8Buffer { member(key, utf8: $0) }
    }

    /// Writes a member with a prepared name and a string value given as UTF-8 bytes (`member(_:_:)`).
    public mutating func member(_ key: Key, utf8 value: UnsafeBufferPointer<UInt8>) {
        let n = value.count
        guard let base = value.baseAddress, n <= JSONWriter.escapePiece, !JSONWriter.mayNeedEscape(base, n, scriptSafe) else {
            self.key(key)
            string(utf8: value)
            return
        }
        writeName(key, valueRoom: n &+ 2) { p in JSONWriter.quoted(p, base, n) }
    }

    /// Counts a member and writes its separator, prepared name and colon, then what `value` writes at the pointer
    /// it is given (at most `valueRoom` bytes; it returns how many), all with one room check.
    @inline(__always)
    private mutating func writeName(_ key: Key, valueRoom: Int, _ value: (UnsafeMutablePointer<UInt8>) -> Int) {
        let (separates, comma) = countMember()
        let pretty = self.pretty, spaces = depth &* indent
        key.quoted.withUnsafeBufferPointer { quoted in
            let count = quoted.count
            withRoom(separatorRoom &+ count &+ 2 &+ valueRoom) { p in
                var k = separates ? JSONWriter.separate(p, comma: comma, newline: pretty, spaces: spaces) : 0
                if let name = quoted.baseAddress { JSONWriter.copyShort(p + k, name, count) }
                k &+= count
                k &+= JSONWriter.colon(p + k, pretty: pretty)
                return k &+ value(p + k)
            }
        }
    }

    /// Writes the `count` bytes at `source` between quotes at `p`, as they are; returns how many bytes it wrote.
    @inline(__always)
    private static func quoted(_ p: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) -> Int {
        p.pointee = 0x22
        (p + 1).update(from: source, count: count)
        p[count &+ 1] = 0x22
        return count &+ 2
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

    /// Writes an integer: its separator and digits with one room check (a report's data island writes hundreds of
    /// thousands of small numbers).
    public mutating func number(_ value: Int) {
        let (separates, comma) = placeValue()
        let pretty = self.pretty, spaces = depth &* indent
        withRoom(separatorRoom &+ 20) { p in
            let n = separates ? JSONWriter.separate(p, comma: comma, newline: pretty, spaces: spaces) : 0
            return n &+ JSONWriter.integer(value, at: p + n)
        }
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
                    if depth > 0 && top.isObject { close(0x7D) } else { close(0x5D) }
                }
                if i >= end { break }
                let e = t[i]
                if depth > 0 && top.isObject && !afterKey && !closeAt.isEmpty {
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
                    appendBytes(UnsafeBufferPointer(rebasing: b[start..<Tape.numberEnd(b, start)]))
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
        // The quotes are written, not copied: a compacted document keeps a string's contents only.
        let (start, count) = Tape.stringExtent(e, b)
        let source = b.baseAddress.unsafelyUnwrapped + start
        withRoom(count &+ 2) { p in JSONWriter.quoted(p, source, count) }
    }

    /// Runs `body` with a pointer to room for at least `needed` bytes after the output (`OutputRoom.withRoom`).
    @inline(__always)
    private mutating func withRoom(_ needed: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        out.withRoom(needed, body)
    }

    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        withRoom(1) { p in p.pointee = byte; return 1 }
    }

    private mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { out.append(bytes) }

    private mutating func open(isObject: Bool) {
        if depth > 0 { outer.append(top) }
        top = Level(isObject: isObject, count: 0)
        depth &+= 1
    }

    /// The most bytes `separate` writes at the current depth, and the up to seven it may store past them.
    private var separatorRoom: Int { pretty ? 9 &+ depth &* indent : 1 }

    /// Writes what goes before a member or element at `p`: a comma unless it is the first, and in pretty style a
    /// newline and the indentation. Returns how many bytes it wrote.
    @inline(__always)
    private static func separate(_ p: UnsafeMutablePointer<UInt8>, comma: Bool, newline: Bool, spaces: Int) -> Int {
        var n = 0
        if comma { p.pointee = 0x2C; n = 1 }
        if newline {
            p[n] = 0x0A
            n &+= 1
            // Eight spaces a store, the last store running up to seven bytes past the indent (room the caller
            // reserved; the bytes after `n` are overwritten or never counted).
            var k = 0
            while k < spaces {
                UnsafeMutableRawPointer(p + (n &+ k)).storeBytes(of: 0x2020_2020_2020_2020 as UInt64, as: UInt64.self)
                k &+= 8
            }
            n &+= spaces
        }
        return n
    }

    /// Counts the member a key starts in the open object: whether anything separates it (not at the top level) and
    /// whether that is a comma (not the first member).
    @inline(__always)
    private mutating func countMember() -> (separates: Bool, comma: Bool) {
        assert(depth > 0 && top.isObject && !afterKey, "key(_:) is only valid inside an object, before a value")
        guard depth > 0 else { return (false, false) }
        let comma = top.count > 0
        top.count &+= 1
        return (true, comma)
    }

    /// Starts a member: its separator (the key and its colon follow).
    @inline(__always)
    private mutating func startKey() {
        let (separates, comma) = countMember()
        guard separates else { return }
        let pretty = self.pretty, spaces = depth &* indent
        withRoom(separatorRoom) { p in JSONWriter.separate(p, comma: comma, newline: pretty, spaces: spaces) }
    }

    private mutating func endKey() {
        let pretty = self.pretty
        withRoom(2) { p in JSONWriter.colon(p, pretty: pretty) }
        afterKey = true
    }

    /// Writes the colon after a key at `p` (and a space in pretty style); returns how many bytes it wrote.
    @inline(__always)
    private static func colon(_ p: UnsafeMutablePointer<UInt8>, pretty: Bool) -> Int {
        p.pointee = 0x3A
        if pretty { p[1] = 0x20; return 2 }
        return 1
    }

    @inline(__always)
    private mutating func beforeValue() {
        let (separates, comma) = placeValue()
        guard separates else { return }
        let pretty = self.pretty, spaces = depth &* indent
        withRoom(separatorRoom) { p in JSONWriter.separate(p, comma: comma, newline: pretty, spaces: spaces) }
    }

    /// Counts the value about to be written: whether a separator goes before it (not after a key, nor at the top
    /// level) and whether that is a comma (not the first element).
    @inline(__always)
    private mutating func placeValue() -> (separates: Bool, comma: Bool) {
        if afterKey {
            afterKey = false
            return (false, false)
        }
        guard depth > 0 else { return (false, false) }
        assert(!top.isObject, "a value inside an object needs a key(_:) first")
        let comma = top.count > 0
        top.count &+= 1
        return (true, comma)
    }

    private mutating func close(_ bracket: UInt8) {
        guard depth > 0 else { return }
        let level = top
        depth &-= 1
        top = outer.popLast() ?? Level(isObject: false, count: 0)
        afterKey = false
        let newline = pretty && level.count > 0, spaces = depth &* indent
        withRoom(separatorRoom &+ 1) { p in
            let n = JSONWriter.separate(p, comma: false, newline: newline, spaces: spaces)
            p[n] = bracket
            return n &+ 1
        }
    }

    private mutating func appendASCII(_ s: String) {
        s.withUTF8Buffer { appendBytes($0) }
    }

    private mutating func writeInteger(_ value: Int) {
        withRoom(20) { p in JSONWriter.integer(value, at: p) }
    }

    /// Writes `value`'s decimal digits (a minus first if negative) at `p`, which has room for 20 bytes; returns how
    /// many it wrote.
    @inline(__always)
    private static func integer(_ value: Int, at p: UnsafeMutablePointer<UInt8>) -> Int {
        if value >= 0 && value < 10 {
            p.pointee = 0x30 &+ UInt8(truncatingIfNeeded: value)
            return 1
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        return withUnsafeMutableBytes(of: &digits) { raw in
            var k = raw.count
            repeat {
                k -= 1
                raw[k] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude != 0
            var n = 0
            if value < 0 { p.pointee = 0x2D; n = 1 }
            let count = raw.count &- k
            (p + n).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + k, count: count)
            return n &+ count
        }
    }

    /// Input bytes escaped per room check: an escape is at most six bytes per input byte, so a piece needs at
    /// most six times its length (plus the quotes) of room, whatever the string's length.
    private static let escapePiece = 4096

    private mutating func writeEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        let n = s.count
        guard let base = s.baseAddress, n > 0 else {
            withRoom(2) { p in p[0] = 0x22; p[1] = 0x22; return 2 }
            return
        }
        let scriptSafe = self.scriptSafe
        if n <= JSONWriter.escapePiece && !JSONWriter.mayNeedEscape(base, n, scriptSafe) {
            // Most strings need no escape at all: checked a word at a time, then copied whole.
            withRoom(n &+ 2) { p in JSONWriter.quoted(p, base, n) }
            return
        }
        var k = 0
        repeat {
            let start = k
            let pieceEnd = Swift.min(n, k &+ JSONWriter.escapePiece)
            withRoom(6 &* (pieceEnd &- k) &+ 2) { out in
                var o = out
                if start == 0 { o.pointee = 0x22; o += 1 }
                while k < pieceEnd {
                    // The run of bytes that need no escape: eight at a time (most of a report's text), then singly,
                    // copied in one go.
                    var end = k
                    while end &+ 16 <= pieceEnd,
                          !JSONWriter.mayNeedEscape(UnsafeRawPointer(base + end).loadUnaligned(as: SIMD16<UInt8>.self), scriptSafe) {
                        end &+= 16
                    }
                    while end &+ 8 <= pieceEnd,
                          !JSONWriter.mayNeedEscape(UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self), scriptSafe) {
                        end &+= 8
                    }
                    while end < pieceEnd {
                        let c = base[end]
                        if c < 0x20 || c == 0x22 || c == 0x5C || (scriptSafe && JSONWriter.needsScriptEscape(c, s, end)) { break }
                        end &+= 1
                    }
                    if end > k {
                        o.update(from: base + k, count: end &- k)
                        o += end &- k
                        k = end
                    }
                    guard k < pieceEnd else { break }
                    let c = base[k]
                    o.pointee = 0x5C
                    if c == 0xE2 {
                        // U+2028 / U+2029 (E2 80 A8 / E2 80 A9): three bytes become one escape.
                        o[1] = 0x75; o[2] = 0x32; o[3] = 0x30; o[4] = 0x32; o[5] = base[k &+ 2] == 0xA8 ? 0x38 : 0x39
                        o += 6
                        k &+= 3
                        continue
                    }
                    switch c {
                    case 0x22: o[1] = 0x22; o += 2
                    case 0x5C: o[1] = 0x5C; o += 2
                    case 0x0A: o[1] = 0x6E; o += 2
                    case 0x0D: o[1] = 0x72; o += 2
                    case 0x09: o[1] = 0x74; o += 2
                    case 0x08: o[1] = 0x62; o += 2
                    case 0x0C: o[1] = 0x66; o += 2
                    default:
                        o[1] = 0x75; o[2] = 0x30; o[3] = 0x30
                        o[4] = JSONWriter.hexDigit(c >> 4); o[5] = JSONWriter.hexDigit(c & 0xF)
                        o += 6
                    }
                    k &+= 1
                }
                if k >= n { o.pointee = 0x22; o += 1 }
                return out.distance(to: o)
            }
        } while k < n
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 &+ value : 0x57 &+ value }

    /// Copies `count` bytes: 8 to 16 of them (most keys, quoted) as two overlapping words, others with `memmove`.
    @inline(__always)
    private static func copyShort(_ target: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
        guard count >= 8 && count <= 16 else {
            target.update(from: source, count: count)
            return
        }
        let first = UnsafeRawPointer(source).loadUnaligned(as: UInt64.self)
        let last = UnsafeRawPointer(source + (count &- 8)).loadUnaligned(as: UInt64.self)
        UnsafeMutableRawPointer(target).storeBytes(of: first, as: UInt64.self)
        UnsafeMutableRawPointer(target + (count &- 8)).storeBytes(of: last, as: UInt64.self)
    }

    /// Whether any of the `n` bytes at `base` may need an escape (exact about "none", like the word check): a word
    /// at a time, the last word overlapping the one before it; strings shorter than a word byte by byte.
    @inline(__always)
    private static func mayNeedEscape(_ base: UnsafePointer<UInt8>, _ n: Int, _ scriptSafe: Bool) -> Bool {
        guard n >= 8 else {
            for i in 0..<n {
                let c = base[i]
                if c < 0x20 || c == 0x22 || c == 0x5C || (scriptSafe && (c == 0x3C || c == 0x3E || c == 0x26 || c == 0xE2)) {
                    return true
                }
            }
            return false
        }
        var i = 0
        while i &+ 16 <= n {
            if mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self), scriptSafe) { return true }
            i &+= 16
        }
        while i &+ 8 <= n {
            if mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self), scriptSafe) { return true }
            i &+= 8
        }
        return i < n && mayNeedEscape(UnsafeRawPointer(base + (n &- 8)).loadUnaligned(as: UInt64.self), scriptSafe)
    }

    /// `mayNeedEscape` for sixteen bytes at once, each lane tested on its own (so exactly). Written with lane-wise
    /// arithmetic (subtract, and, xor), which the compiler turns into vector instructions; the lane comparisons
    /// (`.==`, `.<`) and `any()` were compiled a lane at a time, ten times slower than the word check.
    @inline(__always)
    private static func mayNeedEscape(_ v: SIMD16<UInt8>, _ scriptSafe: Bool) -> Bool {
        // The high bit of a lane of `zero(x)` is set exactly where that lane of `x` is 0.
        @inline(__always) func zero(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> { (x &- SIMD16(repeating: 1)) & ~x }
        @inline(__always) func equal(_ byte: UInt8) -> SIMD16<UInt8> { zero(v ^ SIMD16(repeating: byte)) }
        var found = ((v &- SIMD16(repeating: 0x20)) & ~v) | equal(0x22) | equal(0x5C)
        if scriptSafe { found |= equal(0x3C) | equal(0x3E) | equal(0x26) | equal(0xE2) }
        let words = unsafeBitCast(found & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
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
