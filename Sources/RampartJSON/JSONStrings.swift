/// Decoding of validated JSON string contents.
enum JSONStringDecoder {
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32 {
        switch c {
        case 0x30...0x39: return UInt32(c &- 0x30)
        case 0x41...0x46: return UInt32(c &- 0x41 &+ 10)
        default: return UInt32(c &- 0x61 &+ 10)
        }
    }

    @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        hexValue(p[0]) << 12 | hexValue(p[1]) << 8 | hexValue(p[2]) << 4 | hexValue(p[3])
    }

    /// Decodes the raw (already validated) contents `src[0..<count]` into `out`, which must have room for
    /// `count` bytes (decoding never grows). Returns the number of bytes written.
    static func decode(_ src: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var r = 0
        var w = 0
        while r < count {
            // Eight bytes at a time while they hold no backslash (long values are mostly escape-free runs).
            if r &+ 8 <= count {
                let word = UnsafeRawPointer(src + r).loadUnaligned(as: UInt64.self)
                if !Tape.hasByte(word, 0x5C) {
                    UnsafeMutableRawPointer(out + w).storeBytes(of: word, as: UInt64.self)
                    r &+= 8
                    w &+= 8
                    continue
                }
            }
            let c = src[r]
            if c != 0x5C {
                out[w] = c
                w &+= 1
                r &+= 1
                continue
            }
            let e = src[r &+ 1]
            r &+= 2
            switch e {
            case 0x62: out[w] = 0x08; w &+= 1
            case 0x66: out[w] = 0x0C; w &+= 1
            case 0x6E: out[w] = 0x0A; w &+= 1
            case 0x72: out[w] = 0x0D; w &+= 1
            case 0x74: out[w] = 0x09; w &+= 1
            case 0x75:
                var scalar = hex4(src + r)
                r &+= 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = hex4(src + (r &+ 2))
                    r &+= 6
                    scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
                }
                w &+= encodeUTF8(scalar, into: out + w)
            default:  // " \ /
                out[w] = e
                w &+= 1
            }
        }
        return w
    }

    @inline(__always)
    static func encodeUTF8(_ s: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if s < 0x80 {
            out[0] = UInt8(s)
            return 1
        }
        if s < 0x800 {
            out[0] = UInt8(0xC0 | (s >> 6))
            out[1] = UInt8(0x80 | (s & 0x3F))
            return 2
        }
        if s < 0x10000 {
            out[0] = UInt8(0xE0 | (s >> 12))
            out[1] = UInt8(0x80 | ((s >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (s & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (s >> 18))
        out[1] = UInt8(0x80 | ((s >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((s >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (s & 0x3F))
        return 4
    }

    /// Calls `body` with the decoded UTF-8 bytes of the string entry `e`. No allocation without escapes;
    /// escaped strings are decoded into a temporary (stack-allocated when small) buffer.
    @inline(__always)
    static func withDecoded<R>(
        _ e: UInt64, _ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        let (start, count) = Tape.stringExtent(e, b)
        let src = b.baseAddress! + start
        if e & Tape.escapeBit == 0 {
            return try body(UnsafeBufferPointer(start: src, count: count))
        }
        return try ScratchBuffer.with(capacity: count) { tmp in
            let written = decode(src, count: count, into: tmp)
            return try body(UnsafeBufferPointer(start: tmp, count: written))
        }
    }

    /// The decoded string of entry `e`.
    static func string(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>) -> String {
        let (start, count) = Tape.stringExtent(e, b)
        let src = b.baseAddress! + start
        if e & Tape.escapeBit == 0 {
            return String(decoding: UnsafeBufferPointer(start: src, count: count), as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: count) { out in
            decode(src, count: count, into: out.baseAddress!)
        }
    }

    /// Whether the string at tape entry `e` equals `other`, without allocating.
    @inline(__always)
    static func stringEquals(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>, _ other: String) -> Bool {
        // An escape-free string of another length is rejected from the tape entry and the count of `other`'s UTF-8
        // (kept by a native string), before anything else: most comparisons (Pulumi's sentinels against every string
        // value) end here.
        if e & Tape.escapeBit == 0 {
            let raw = Tape.rawLengthAtLeast(e)
            if raw != Int(truncatingIfNeeded: Tape.longLength) && raw != other.utf8.count { return false }
        }
        return other.withUTF8Buffer { o in
            // An escape takes at most 6 bytes of input per byte it stands for (`\u0041`), so a string whose input is
            // longer than `other` (6 × with escapes) cannot equal it: answered from the tape entry alone, without
            // finding the end of a long string or decoding it (a 200 MB value compared with a 32-byte signature
            // was rescanned and decoded whole).
            if Tape.rawLengthAtLeast(e) > (e & Tape.escapeBit != 0 ? 6 * o.count : o.count) { return false }
            return withDecoded(e, b) { equal($0, o) }
        }
    }

    /// Byte equality of two buffers.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return memcmpEqual(a.baseAddress!, b.baseAddress!, a.count)
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var k = 0
        while k &+ 8 <= n {
            let x = UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
            if x != y { return false }
            k &+= 8
        }
        // The rest (under eight bytes) in at most three loads: most keys are shorter than eight bytes.
        if k &+ 4 <= n {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt32.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt32.self) {
                return false
            }
            k &+= 4
        }
        if k &+ 2 <= n {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt16.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt16.self) {
                return false
            }
            k &+= 2
        }
        return k == n || a[k] == b[k]
    }
}

extension String {
    /// Calls `body` with this string's UTF-8 bytes, copying only if the string is not contiguous UTF-8.
    @inline(__always)
    func withUTF8Buffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        copy.makeContiguousUTF8()
        return try copy.utf8.withContiguousStorageIfAvailable(body)!
    }
}
