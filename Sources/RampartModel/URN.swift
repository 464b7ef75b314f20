import Foundation
import RampartJSON

/// A Pulumi URN: `urn:pulumi:<stack>::<project>::<qualifiedType>::<name>`.
/// The name is everything after the third `::`, so names containing `::` survive.
public struct URN: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// UTF-8 offsets of the three `::` separators; the parts are cut out on demand, so reading a large state does
    /// not allocate four extra strings per resource.
    private let separators: (Int32, Int32, Int32)
    /// `ByteHash` of the URN's UTF-8 bytes, worked out as it is parsed, while they are at hand: a graph keys its
    /// table by it, and reading each URN's storage again for it missed the caches once per resource.
    package let byteHash: UInt64

    public static let prefix = "urn:pulumi:"

    /// Parses a URN; nil when it lacks the `urn:pulumi:` prefix or the three `::` separators.
    public init?(_ raw: String) {
        // Scanned in place over the UTF-8 bytes (as Pulumi compares URNs: bytewise): reading a big stack parses one
        // URN per resource.
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ((Int32, Int32, Int32), UInt64)? {
            URN.separators(in: bytes).map { ($0, ByteHash.hash(bytes)) }
        }
        guard let (separators, hash) = raw.utf8.withContiguousStorageIfAvailable(parse)
                ?? Array(raw.utf8).withUnsafeBufferPointer(parse) else { return nil }
        rawValue = raw
        self.separators = separators
        byteHash = hash
    }

    private static func separators(in bytes: UnsafeBufferPointer<UInt8>) -> (Int32, Int32, Int32)? {
        // The prefix compared as C bytes: a generic `elementsEqual` over a static array cost ~200 instructions a URN.
        let prefix: StaticString = "urn:pulumi:"
        guard bytes.count >= prefix.utf8CodeUnitCount, let base = bytes.baseAddress,
              memcmp(base, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0 else { return nil }
        let colon = UInt8(ascii: ":")
        var found: (Int32, Int32, Int32) = (-1, -1, -1)
        var count = 0
        var offset = prefix.utf8CodeUnitCount
        while offset + 1 < bytes.count {
            // The next colon found by `memchr`, which reads many bytes a step: a URN is mostly letters.
            guard let hit = memchr(base + offset, Int32(colon), bytes.count - 1 - offset) else { return nil }
            offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard bytes[offset + 1] == colon else { offset += 1; continue }
            switch count {
            case 0: found.0 = Int32(offset)
            case 1: found.1 = Int32(offset)
            default: found.2 = Int32(offset); return found
            }
            count += 1
            offset += 2
        }
        return nil
    }

    /// The bytes `start..<end` (to the end when nil), which begin and end at ASCII separators. Copied from the
    /// contiguous bytes: a substring of the view, then a string of it, cost ~530 instructions, and a policy cuts the
    /// name from the URN for most messages it writes.
    private func part(from start: Int, to end: Int?) -> String {
        var raw = rawValue
        return raw.withUTF8 { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(end ?? bytes.count)]), as: UTF8.self)
        }
    }

    public var stack: String { part(from: URN.prefix.utf8.count, to: Int(separators.0)) }
    public var project: String { part(from: Int(separators.0) + 2, to: Int(separators.1)) }
    /// Ancestor types joined with `$`, ending in the resource's own type.
    public var qualifiedType: String { part(from: Int(separators.1) + 2, to: Int(separators.2)) }
    /// Everything after the third `::`, so names containing `::` survive.
    public var name: String { part(from: Int(separators.2) + 2, to: nil) }

    /// The resource's own type token: text after the last `$`.
    public var type: String {
        let qualified = qualifiedType
        let utf8 = qualified.utf8
        // '$' is ASCII, so the cut is a valid string boundary; searching Characters cost a visible share of reading.
        if let dollar = utf8.lastIndex(of: UInt8(ascii: "$")) { return String(Substring(utf8[utf8.index(after: dollar)...])) }
        return qualified
    }

    /// The types of the ancestors encoded in the URN, outermost first.
    public var ancestorTypes: [String] {
        let parts = qualifiedType.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        return Array(parts.dropLast())
    }

    public var description: String { rawValue }
    public static func == (lhs: URN, rhs: URN) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public static func < (lhs: URN, rhs: URN) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A provider reference `providerURN::providerID`, split on the last `::`.
public struct ProviderReference: Sendable, Hashable {
    public let urn: String
    public let id: String

    public init?(_ raw: String) {
        // The last "::" splits URN from ID, found on the UTF-8 view (':' is ASCII, so the cuts are valid
        // string boundaries); Character-based searching was a visible part of reading a big stack.
        let utf8 = raw.utf8
        var cut = utf8.endIndex
        var i = utf8.endIndex
        while i > utf8.startIndex {
            let previous = utf8.index(before: i)
            if utf8[previous] == UInt8(ascii: ":"), previous > utf8.startIndex, utf8[utf8.index(before: previous)] == UInt8(ascii: ":") {
                cut = utf8.index(before: previous)
                break
            }
            i = previous
        }
        guard cut != utf8.endIndex, cut > utf8.startIndex else { return nil }
        self.urn = String(Substring(utf8[..<cut]))
        self.id = String(Substring(utf8[utf8.index(cut, offsetBy: 2)...]))
    }

    /// A reference from its two parts, already split (readers pass strings they share between resources; the
    /// analyzer, a provider's URN and the unknown ID, rather than joining them to be split again).
    public init(urn: String, id: String) {
        self.urn = urn
        self.id = id
    }

    /// Whether `raw` is `reference` as written (`urn::id`), compared without allocating.
    package static func equals(_ reference: ProviderReference, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var urn = reference.urn, id = reference.id
        let u = urn.utf8.count, i = id.utf8.count
        guard raw.count == u + 2 + i, raw[u] == UInt8(ascii: ":"), raw[u + 1] == UInt8(ascii: ":") else { return false }
        func same(_ part: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            part.isEmpty || memcmp(part.baseAddress!, raw.baseAddress! + offset, part.count) == 0
        }
        return urn.withUTF8 { same($0, at: 0) } && id.withUTF8 { same($0, at: u + 2) }
    }

    /// Where `raw` splits into URN and ID: the offset of its last `::`, nil when there is none or it starts there.
    package static func cut(_ raw: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = raw.count - 1
        while i > 0 {
            if raw[i] == UInt8(ascii: ":") && raw[i - 1] == UInt8(ascii: ":") { return i - 1 > 0 ? i - 1 : nil }
            i -= 1
        }
        return nil
    }

    /// The provider ID is the preview's unknown sentinel.
    public var isUnknownID: Bool { id == PulumiSignature.unknown }
    /// Default providers are disabled for the stack.
    public var isDenyDefault: Bool { id == "denydefaultprovider" }
}

extension String {
    /// `parts` one after another, made in one allocation of their total size. Interpolation grows its buffer as the
    /// pieces come, a copy each time (~450 instructions a piece for a finding's message); the policies that write a
    /// message for every container or port of a resource make it with this.
    public init(concatenating parts: String...) {
        var total = 0
        for part in parts { total &+= part.utf8.count }
        self.init(unsafeUninitializedCapacity: total) { buffer in
            var written = 0
            for var part in parts {
                part.withUTF8 { bytes in
                    guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
                    (target + written).initialize(from: source, count: bytes.count)
                    written &+= bytes.count
                }
            }
            return written
        }
    }

    /// Whether `needle`'s UTF-8 bytes occur in this string's, compared byte for byte. Where Foundation is imported,
    /// `contains(_:)` with a string argument is Foundation's search, thousands of instructions a call even for a
    /// one-byte needle; policies use this one on their hot paths (image references, placeholders, type globs).
    public func containsBytes(_ needle: String) -> Bool {
        var hay = self, needle = needle
        return hay.withUTF8 { h in
            needle.withUTF8 { n in
                guard let first = n.first else { return true }
                guard h.count >= n.count else { return false }
                var i = 0
                let last = h.count &- n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i &+ j] == n[j] { j &+= 1 }
                        if j == n.count { return true }
                    }
                    i &+= 1
                }
                return false
            }
        }
    }

    /// The range of the last occurrence of `needle`, without Foundation.
    func lastRange(of needle: String) -> Range<String.Index>? {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return nil }
        var copy = self
        let offset: Int? = copy.withUTF8 { hay -> Int? in
            guard hay.count >= n.count else { return nil }
            var i = hay.count - n.count
            while i >= 0 {
                var match = true
                for j in 0..<n.count where hay[i + j] != n[j] { match = false; break }
                if match { return i }
                i -= 1
            }
            return nil
        }
        guard let offset else { return nil }
        let lower = utf8.index(startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: n.count)
    }
}

/// Stack identity `org/project/stack`; any part may be unknown.
public struct StackIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var organization: String?
    public var project: String?
    public var stack: String

    public init(organization: String?, project: String?, stack: String) {
        self.organization = organization
        self.project = project
        self.stack = stack
    }

    /// Parses `org/project/stack`, `project/stack` or `stack`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        switch parts.count {
        case 1: self.init(organization: nil, project: nil, stack: parts[0])
        case 2: self.init(organization: nil, project: parts[0], stack: parts[1])
        case 3: self.init(organization: parts[0], project: parts[1], stack: parts[2])
        default: return nil
        }
    }

    /// `org/project/stack`, leaving out the parts that are not known.
    public var description: String {
        [organization, project, stack].compactMap { $0 }.joined(separator: "/")
    }

    /// Always three parts (unknown ones filled with Pulumi's defaults) for glob matching.
    public var fullyQualified: String {
        "\(organization ?? "organization")/\(project ?? "unknown-project")/\(stack)"
    }

    public static func < (lhs: StackIdentity, rhs: StackIdentity) -> Bool { lhs.description < rhs.description }
}
