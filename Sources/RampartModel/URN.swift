/// A Pulumi URN: `urn:pulumi:<stack>::<project>::<qualifiedType>::<name>`.
/// The name is everything after the third `::`, so names containing `::` survive.
public struct URN: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public let stack: String
    public let project: String
    /// Ancestor types joined with `$`, ending in the resource's own type.
    public let qualifiedType: String
    public let name: String

    public static let prefix = "urn:pulumi:"

    /// Parses a URN; nil when it lacks the `urn:pulumi:` prefix or the three `::` separators.
    public init?(_ raw: String) {
        guard raw.hasPrefix(URN.prefix) else { return nil }
        let body = raw.utf8.dropFirst(URN.prefix.utf8.count)
        var parts: [Substring.UTF8View] = []
        var start = body.startIndex
        var i = body.startIndex
        while i < body.endIndex, parts.count < 3 {
            let next = body.index(after: i)
            if body[i] == UInt8(ascii: ":"), next < body.endIndex, body[next] == UInt8(ascii: ":") {
                parts.append(body[start..<i])
                i = body.index(after: next)
                start = i
            } else {
                i = next
            }
        }
        guard parts.count == 3 else { return nil }
        self.rawValue = raw
        self.stack = String(Substring(parts[0]))
        self.project = String(Substring(parts[1]))
        self.qualifiedType = String(Substring(parts[2]))
        self.name = String(Substring(body[start...]))
    }

    /// The resource's own type token: text after the last `$`.
    public var type: String {
        if let dollar = qualifiedType.lastIndex(of: "$") { return String(qualifiedType[qualifiedType.index(after: dollar)...]) }
        return qualifiedType
    }

    /// The types of the ancestors encoded in the URN, outermost first.
    public var ancestorTypes: [String] {
        let parts = qualifiedType.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        return Array(parts.dropLast())
    }

    public var description: String { rawValue }
    public static func < (lhs: URN, rhs: URN) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A provider reference `providerURN::providerID`, split on the last `::`.
public struct ProviderReference: Sendable, Hashable {
    public let urn: String
    public let id: String

    public init?(_ raw: String) {
        guard let range = raw.lastRange(of: "::") else { return nil }
        self.urn = String(raw[..<range.lowerBound])
        self.id = String(raw[range.upperBound...])
        guard !urn.isEmpty else { return nil }
    }

    /// The provider ID is the preview's unknown sentinel.
    public var isUnknownID: Bool { id == PulumiSignature.unknown }
    /// Default providers are disabled for the stack.
    public var isDenyDefault: Bool { id == "denydefaultprovider" }
}

extension String {
    /// The range of the last occurrence of `needle`, without Foundation.
    func lastRange(of needle: String) -> Range<String.Index>? {
        let hay = utf8, n = needle.utf8
        guard !n.isEmpty, hay.count >= n.count else { return nil }
        var lower = hay.index(hay.endIndex, offsetBy: -n.count)
        while true {
            let upper = hay.index(lower, offsetBy: n.count)
            if hay[lower..<upper].elementsEqual(n) { return lower..<upper }
            if lower == hay.startIndex { return nil }
            lower = hay.index(before: lower)
        }
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
