/// Lazy number conversion.
enum JSONNumber {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ]

    /// Converts the (validated) number token at `start`, correctly rounded.
    static func double(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Double {
        let end = Tape.numberEnd(b, start)
        var j = start
        let negative = b[j] == 0x2D
        if negative { j &+= 1 }
        // Fast path (exact): at most 15 digits, no exponent → mantissa < 2^53 and a power of ten ≤ 10^15.
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var inFraction = false
        var simple = true
        while j < end {
            let c = b[j]
            if c == 0x2E {
                inFraction = true
            } else if c &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits &+= 1
                if inFraction { fractionDigits &+= 1 }
                if digits > 15 { simple = false; break }
            } else {
                simple = false  // exponent
                break
            }
            j &+= 1
        }
        if simple {
            let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// The number as an exact `Int`, if integral and in range.
    static func int(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let end = Tape.numberEnd(b, start)
        var j = start
        let negative = b[j] == 0x2D
        if negative { j &+= 1 }
        var value = 0
        var plain = true
        while j < end {
            let c = b[j]
            guard c &- 0x30 < 10 else { plain = false; break }
            let digit = Int(c &- 0x30)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
            j &+= 1
        }
        if plain { return value }
        let d = double(b, start)
        guard d.rounded(.towardZero) == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return nil }
        return Int(d)
    }
}

extension JSONError {
    /// A safe, short rendering of one input byte: printable ASCII quoted, anything else as `byte 0xC3`.
    static func describeByte(_ c: UInt8) -> String {
        if c == 0x27 { return "\"'\"" }
        if c >= 0x21 && c <= 0x7E { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = String(c, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }

    /// 1-based line and byte column of `offset` (clamped to the buffer).
    static func location(in b: UnsafeBufferPointer<UInt8>, ofByteOffset offset: Int) -> (line: Int, column: Int) {
        let end = Swift.max(0, Swift.min(offset, b.count))
        var line = 1
        var lineStart = 0
        var j = 0
        while j < end {
            if b[j] == 0x0A {
                line &+= 1
                lineStart = j &+ 1
            }
            j &+= 1
        }
        return (line, end &- lineStart &+ 1)
    }

    /// Appends `.key` or `["key"]` for the key string entry `e`.
    static func appendPathKey(_ e: UInt64, bytes b: UnsafeBufferPointer<UInt8>, to path: inout String) {
        let key = JSONStringDecoder.string(e, b)
        path += pathComponent(forKey: key)
    }

    /// `.key` for identifier-like keys (`[A-Za-z_][A-Za-z0-9_]*`), otherwise `["key"]` with JSON escaping.
    static func pathComponent(forKey key: String) -> String {
        var identifier = !key.isEmpty
        for (k, c) in key.utf8.enumerated() {
            let letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c == 0x5F
            let digit = c >= 0x30 && c <= 0x39
            if !(letter || (k > 0 && digit)) {
                identifier = false
                break
            }
        }
        if identifier { return "." + key }
        var writer = JSONWriter()
        writer.string(key)
        return "[" + writer.string + "]"
    }
}
