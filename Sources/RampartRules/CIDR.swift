import Foundation

/// An IPv4 or IPv6 network (address + prefix length); a bare address is a /32 or /128. Parsed without Foundation
/// so rules and values are read the same way on every platform.
struct CIDR: Sendable, Hashable, CustomStringConvertible {
    enum Family: Sendable, Hashable { case v4, v6 }
    var family: Family
    /// The address as 128 bits; IPv4 uses the low 32 bits of `low`.
    var high: UInt64
    var low: UInt64
    var prefix: Int

    var bits: Int { family == .v4 ? 32 : 128 }

    init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        var addressText = Substring(trimmed)
        var prefix: Int?
        if let slash = trimmed.firstIndex(of: "/") {
            addressText = trimmed[..<slash]
            let p = trimmed[trimmed.index(after: slash)...]
            guard !p.isEmpty, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p) else { return nil }
            prefix = n
        }
        if let v4 = CIDR.parseV4(addressText) {
            family = .v4; high = 0; low = UInt64(v4)
        } else if let (h, l) = CIDR.parseV6(addressText) {
            family = .v6; high = h; low = l
        } else {
            return nil
        }
        let maxBits = family == .v4 ? 32 : 128
        let p = prefix ?? maxBits
        guard p >= 0 && p <= maxBits else { return nil }
        self.prefix = p
    }

    /// Whether this network covers `other` (an address or a network of the same family, at least as specific).
    func includes(_ other: CIDR) -> Bool {
        guard family == other.family, other.prefix >= prefix else { return false }
        let (mh, ml) = mask
        return (high & mh) == (other.high & mh) && (low & ml) == (other.low & ml)
    }

    private var mask: (UInt64, UInt64) {
        if family == .v4 {
            let m: UInt64 = prefix == 0 ? 0 : (UInt64(UInt32.max) << UInt64(32 - prefix)) & UInt64(UInt32.max)
            return (0, m)
        }
        let hp = min(prefix, 64), lp = max(prefix - 64, 0)
        let mh: UInt64 = hp == 0 ? 0 : UInt64.max << UInt64(64 - hp)
        let ml: UInt64 = lp == 0 ? 0 : UInt64.max << UInt64(64 - lp)
        return (mh, ml)
    }

    var description: String {
        if family == .v4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)/\(prefix)"
        }
        var groups: [String] = []
        for i in 0..<8 {
            let word = i < 4 ? high >> UInt64(48 - 16 * i) : low >> UInt64(48 - 16 * (i - 4))
            groups.append(String(word & 0xFFFF, radix: 16))
        }
        return groups.joined(separator: ":") + "/\(prefix)"
    }

    static func parseV4(_ s: Substring) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(part), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    static func parseV6(_ s: Substring) -> (UInt64, UInt64)? {
        guard s.contains(":") else { return nil }
        var words: [UInt16] = []
        var gap: Int?
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ text: String, allowV4Tail: Bool) -> [UInt16]? {
            if text.isEmpty { return [] }
            var result: [UInt16] = []
            let groups = text.split(separator: ":", omittingEmptySubsequences: false)
            for (i, g) in groups.enumerated() {
                if allowV4Tail, i == groups.count - 1, g.contains(".") {
                    guard let v4 = parseV4(g) else { return nil }
                    result.append(UInt16(v4 >> 16)); result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard (1...4).contains(g.count), let w = UInt16(g, radix: 16) else { return nil }
                    result.append(w)
                }
            }
            return result
        }
        if halves.count == 2 {
            guard let head = parseGroups(halves[0], allowV4Tail: false), let tail = parseGroups(halves[1], allowV4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            words = head; gap = head.count
            words += tail
            words.insert(contentsOf: [UInt16](repeating: 0, count: 8 - head.count - tail.count), at: gap!)
        } else {
            guard let all = parseGroups(halves[0], allowV4Tail: true), all.count == 8 else { return nil }
            words = all
        }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<4 { h = h << 16 | UInt64(words[i]) }
        for i in 4..<8 { l = l << 16 | UInt64(words[i]) }
        return (h, l)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
