/// A fast, non-cryptographic hash of bytes: a multiply-mix over eight bytes at a time. For tables whose keys come
/// from one input (URNs, type tokens), where `Hasher`'s SipHash over long keys with long shared prefixes costs more
/// than the lookup it serves. Not for keys an attacker picks to collide where that matters: a collision here costs
/// a longer probe, never a wrong answer.
public enum ByteHash {
    /// The hash of `bytes`.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i &+ 8 <= bytes.count {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        return mix(h ^ tail(raw, from: i))
    }

    /// The bytes of `raw` from `start` to its end (fewer than eight) as a little-endian word, zero-filled: read with
    /// at most two loads (the last eight bytes, or two overlapping halves of a shorter run) rather than a byte at a
    /// time, which cost most of the hash of a short key.
    @inline(__always)
    static func tail(_ raw: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        let n = raw.count, rest = n &- start
        guard rest > 0 else { return 0 }
        if n >= 8 {
            // The last eight bytes hold the rest in their high end.
            return raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self).littleEndian &>> (8 &* UInt64(8 &- rest))
        }
        switch rest {
        case 4...:
            let low = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
            let high = UInt64(raw.loadUnaligned(fromByteOffset: rest &- 4, as: UInt32.self).littleEndian)
            return low | high &<< (8 &* UInt64(rest &- 4))
        case 2...:
            let low = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self).littleEndian)
            let high = UInt64(raw.loadUnaligned(fromByteOffset: rest &- 2, as: UInt16.self).littleEndian)
            return low | high &<< (8 &* UInt64(rest &- 2))
        default:
            return UInt64(raw[0])
        }
    }

    /// The hash of a string's UTF-8 bytes.
    public static func hash(_ string: String) -> UInt64 {
        string.withUTF8Buffer { hash($0) }
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        return z &* 0x94D0_49BB_1331_11EB
    }
}

/// Gives one shared `String` for equal string values: a stack repeats the same type tokens, parent, provider and
/// dependency URNs on thousands of resources, and one copy of each saves an allocation per use and the memory of
/// the copies. Strings are looked up by their bytes, so a value seen before costs a hash and a compare, no
/// allocation. One interner per worker (it is a mutable value).
///
/// At most `capacity` distinct strings are kept: past that, new ones are returned unshared, so input where nothing
/// repeats costs bounded memory.
public struct JSONStringInterner {
    /// Index + 1 into `strings` per slot; 0 is empty.
    private var slots: [Int32]
    private var slotHashes: [UInt64]
    /// The distinct strings, in the order first seen.
    public private(set) var strings: [String] = []
    private var mask: Int
    private let capacity: Int

    /// - Parameter capacity: the most distinct strings kept (0 shares nothing and allocates no table).
    public init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        slots = []
        slotHashes = []
        mask = 0
    }

    /// The shared copy of a string node's value; nil for other kinds.
    public mutating func string(_ node: JSONNode) -> String? {
        let e = node.entry
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return node.document.bytes.withUnsafeBufferPointer { b in
            JSONStringDecoder.withDecoded(e, b) { intern($0).string }
        }
    }

    /// The shared copy of the value of the string at `position` of `view`; nil for other kinds.
    public mutating func string(_ view: JSONTreeView, _ position: Int) -> String? {
        let e = view.tape[position]
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return JSONStringDecoder.withDecoded(e, view.bytes) { intern($0).string }
    }

    /// The shared copy of a string with these UTF-8 bytes, and its number among the distinct strings (-1 when it
    /// was not kept because the interner is full).
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (string: String, number: Int) {
        intern(bytes) { String(decoding: bytes, as: UTF8.self) }
    }

    /// The shared copy of `string`, and its number. A string not seen before is kept as it is given, not copied.
    public mutating func intern(_ string: String) -> (string: String, number: Int) {
        string.withUTF8Buffer { intern($0) { string } }
    }

    /// The lookup of both: `make` gives the string for `bytes` when they were not seen before. Inlined into each, so
    /// the reader's path, which interns every string it reads, makes no closure call.
    @inline(__always)
    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, make: () -> String) -> (string: String, number: Int) {
        if slots.isEmpty {
            guard capacity > 0 else { return (make(), -1) }
            slots = [Int32](repeating: 0, count: 64)
            slotHashes = [UInt64](repeating: 0, count: 64)
            mask = 63
        }
        let hash = ByteHash.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) &- 1
            if slotHashes[slot] == hash && strings[index].withUTF8Buffer({ JSONStringDecoder.equal($0, bytes) }) {
                return (strings[index], index)
            }
            slot = (slot &+ 1) & mask
        }
        let string = make()
        guard strings.count < capacity else { return (string, -1) }
        strings.append(string)
        slots[slot] = Int32(strings.count)
        slotHashes[slot] = hash
        if strings.count * 2 > slots.count { grow() }
        return (string, strings.count - 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: size)
        var newHashes = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for old in 0..<slots.count where slots[old] != 0 {
            var slot = Int(truncatingIfNeeded: slotHashes[old]) & newMask
            while newSlots[slot] != 0 { slot = (slot &+ 1) & newMask }
            newSlots[slot] = slots[old]
            newHashes[slot] = slotHashes[old]
        }
        slots = newSlots
        slotHashes = newHashes
        mask = newMask
    }
}
