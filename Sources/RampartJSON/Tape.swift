/// Layout of the parse tape.
///
/// Every value occupies one or two `UInt64` words, in document order. The top 4 bits of the first word
/// hold the tag; the low 40 bits hold the byte offset of the value's first byte in the document's bytes: the input,
/// or for a compacted document (`JSONCompaction`) the compact copy, where a string keeps only its contents (its
/// offset is the byte before them, and the closing quote follows a long one), each number is followed by a comma,
/// and null, booleans and containers take no bytes (only `JSONInputPositions` reads their offset). So the byte at
/// a string's offset is not necessarily a quote: readers start at offset + 1.
///
/// | tag          | words | layout of the first word (bits)                                      | second word                        |
/// |--------------|-------|-----------------------------------------------------------------------|------------------------------------|
/// | null/false/true | 1  | `tag:4 · unused:20 · offset:40`                                       | –                                  |
/// | number       | 1     | `tag:4 · unused:20 · offset:40`                                       | –                                  |
/// | string       | 1     | `tag:4 · escapes:1 · length:19 · offset:40` (offset of the opening `"`) | –                                  |
/// | array        | 2     | `tag:4 · unused:20 · offset:40`                                       | `next:32 · count:32`               |
/// | object       | 2     | `tag:4 · marked:1 · unused:19 · offset:40`                            | `next:32 · count:32`               |
///
/// * `length` is the byte length of the raw string contents between the quotes; the all-ones value
///   (`Tape.longLength`) means "≥ 2^19 - 1 bytes, rescan for the closing quote" (rare, O(n) once per access).
/// * `next` is the tape index just past the container's last descendant, so skipping a subtree is O(1);
///   `count` is the number of elements (array) or members (object).
/// * Object members are stored as a key string entry followed by the value's entries.
/// * `marked` is set on an object that may hold the document's marked key (`JSONMarkedKey`); clear, it certainly
///   does not (always clear when the document was parsed without one).
/// * Numbers are stored by offset only; their extent is rescanned on access (numbers are short).
@usableFromInline
enum Tape {
    @usableFromInline static let tagShift: UInt64 = 60
    @usableFromInline static let offsetMask: UInt64 = (1 << 40) - 1
    @usableFromInline static let lengthShift: UInt64 = 40
    @usableFromInline static let longLength: UInt64 = (1 << 19) - 1
    @usableFromInline static let escapeBit: UInt64 = 1 << 59
    /// On an object's first word: it may hold the document's marked key (the bit strings use for escapes).
    @usableFromInline static let markedKeyBit: UInt64 = 1 << 59

    @usableFromInline static let tagNull: UInt64 = 0
    @usableFromInline static let tagFalse: UInt64 = 1
    @usableFromInline static let tagTrue: UInt64 = 2
    @usableFromInline static let tagNumber: UInt64 = 3
    @usableFromInline static let tagString: UInt64 = 4
    @usableFromInline static let tagArray: UInt64 = 5
    @usableFromInline static let tagObject: UInt64 = 6

    /// Inputs must be smaller than this (offsets are 40 bits).
    static let maxInputBytes = 1 << 40
    /// Tape indexes are stored in 32 bits.
    static let maxTapeEntries = Int(UInt32.max)

    @inline(__always) @inlinable
    static func tag(_ e: UInt64) -> UInt64 { e &>> tagShift }

    /// The kind of value an entry's first word starts.
    @inline(__always) @inlinable
    static func kind(_ e: UInt64) -> JSONKind {
        switch tag(e) {
        case tagNull: return .null
        case tagFalse, tagTrue: return .bool
        case tagNumber: return .number
        case tagString: return .string
        case tagArray: return .array
        default: return .object
        }
    }

    @inline(__always) @inlinable
    static func offset(_ e: UInt64) -> Int { Int(truncatingIfNeeded: e & offsetMask) }

    /// The value of a boolean entry; nil for other kinds.
    @inline(__always)
    static func bool(_ e: UInt64) -> Bool? {
        switch tag(e) {
        case tagTrue: return true
        case tagFalse: return false
        default: return nil
        }
    }

    /// The value of a number entry, correctly rounded to the nearest `Double`; nil for other kinds.
    @inline(__always)
    static func number(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>) -> Double? {
        tag(e) == tagNumber ? JSONNumber.double(b, offset(e)) : nil
    }

    /// Index of the entry following the value at `i` (skips whole subtrees).
    @inline(__always) @inlinable
    static func next(_ t: UnsafeBufferPointer<UInt64>, _ i: Int) -> Int {
        let tg = t[i] &>> tagShift
        return tg >= tagArray ? Int(truncatingIfNeeded: t[i &+ 1] &>> 32) : i &+ 1
    }

    /// A lower bound of a string entry's raw length, from the entry alone (exact below `longLength`).
    @inline(__always) @usableFromInline
    static func rawLengthAtLeast(_ e: UInt64) -> Int { Int(truncatingIfNeeded: (e &>> lengthShift) & longLength) }

    /// Whether entry `e` is a string that may be `a` or `b` UTF-8 bytes long: false for other kinds, and for an
    /// escape-free string whose length, held in the entry, is neither (true when that cannot be told).
    @inline(__always) @inlinable
    static func stringMayHaveLength(_ e: UInt64, _ a: Int, _ b: Int) -> Bool {
        guard tag(e) == tagString else { return false }
        let raw = rawLengthAtLeast(e)
        if e & escapeBit != 0 || raw == Int(truncatingIfNeeded: longLength) { return true }
        return raw == a || raw == b
    }

    /// Start (index of the first content byte) and length of a string entry's raw contents.
    @inline(__always) @usableFromInline
    static func stringExtent(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>) -> (start: Int, count: Int) {
        let start = offset(e) &+ 1
        let len = (e &>> lengthShift) & longLength
        if len != longLength { return (start, Int(truncatingIfNeeded: len)) }
        // Long string: rescan for the closing quote (the input was validated, so there is one), eight bytes at a
        // time while they hold no quote. A quote closes the string unless an odd run of backslashes precedes it
        // (`\"` is an escaped quote, `\\"` an escaped backslash and the end), so other escapes (the `\n` of every
        // line of a base64 blob) never interrupt the word loop: a 200 MB value is found in tens of milliseconds.
        // The rescan stops at the buffer's end, which it reaches only in an input changed since its parse (a mapped
        // file written meanwhile, `JSONCompactor.compacted`): the extent then ends there.
        let base = b.baseAddress!
        var j = start
        while true {
            while j &+ 8 <= b.count, !hasByte(UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self), 0x22) { j &+= 8 }
            while j < b.count, b[j] != 0x22 { j &+= 1 }
            if j >= b.count { return (start, b.count &- start) }
            var backslashes = 0
            while j &- backslashes &- 1 >= start, b[j &- backslashes &- 1] == 0x5C { backslashes &+= 1 }
            if backslashes & 1 == 0 { return (start, j &- start) }
            j &+= 1
        }
    }

    /// Whether any of the eight bytes of `word` is `byte` (the classic zero-byte test on `word ^ byte…byte`).
    @inline(__always) @usableFromInline
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// Byte extent of a number token starting at `offset`.
    @inline(__always) @usableFromInline
    static func numberEnd(_ b: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var j = offset
        while j < b.count {
            let c = b[j]
            // digits, '+', '-', '.', 'e', 'E'
            if (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 {
                j &+= 1
            } else {
                break
            }
        }
        return j
    }
}
