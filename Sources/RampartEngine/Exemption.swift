import RampartModel
import RampartPolicy

/// An exemption: one policy (`pack/policy`, or `policy` in any pack) waived for matching resources, with a reason
/// and an optional expiry date after which it stops applying and is itself reported.
public struct Exemption: Sendable, Hashable {
    /// `pack/policy` or `policy`.
    public var policy: String
    /// URN globs; empty = any resource.
    public var resources: [String]
    /// Type-token globs; empty = any type.
    public var types: [String]
    /// Stack globs over `org/project/stack`; empty = any stack.
    public var stacks: [String]
    public var reason: String
    /// `YYYY-MM-DD` (inclusive: the exemption applies through that day).
    public var expires: String?
    /// Where it was declared, for reports.
    public var source: String?

    public init(policy: String, resources: [String] = [], types: [String] = [], stacks: [String] = [],
                reason: String, expires: String? = nil, source: String? = nil) {
        self.policy = policy
        self.resources = resources
        self.types = types
        self.stacks = stacks
        self.reason = reason
        self.expires = expires
        self.source = source
    }

    /// Whether the exemption has expired on `today` (`YYYY-MM-DD`; ISO dates compare as strings).
    public func isExpired(today: String) -> Bool {
        guard let expires else { return false }
        return expires < today
    }

    func matchesPolicy(pack: String, policy name: String) -> Bool {
        policy == "\(pack)/\(name)" || policy == name || Glob.matches(policy, "\(pack)/\(name)")
    }

    func matches(pack: String, policy name: String, stack: StackIdentity, resource: Resource?) -> Bool {
        matches(pack: pack, policy: name, stack: stack, urn: resource?.urn.rawValue, type: resource?.type)
    }

    /// Whether the exemption waives `pack/policy` on the subject: a resource (`urn`, `type`) or, with no URN, the
    /// stack itself (then only an exemption without resource or type patterns applies).
    func matches(pack: String, policy name: String, stack: StackIdentity, urn: String?, type: String?) -> Bool {
        guard matchesPolicy(pack: pack, policy: name) else { return false }
        if !stacks.isEmpty && !stacks.contains(where: { StackPattern.matches($0, stack) }) { return false }
        if let urn {
            if !resources.isEmpty && !resources.contains(where: { Glob.matches($0, urn) }) { return false }
            if !types.isEmpty && !types.contains(where: { pattern in type.map { Glob.matches(pattern, $0) } ?? false }) { return false }
        } else if !resources.isEmpty || !types.isEmpty {
            return false
        }
        return true
    }
}

/// Stack patterns are globs over `org/project/stack`; missing leading parts match anything.
public enum StackPattern {
    public static func matches(_ pattern: String, _ stack: StackIdentity) -> Bool {
        var parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while parts.count < 3 { parts.insert("*", at: 0) }
        guard parts.count == 3 else { return false }
        let values: [String?] = [stack.organization, stack.project, stack.stack]
        for (p, v) in zip(parts, values) {
            // A part the input did not reveal (an export has no org) matches any pattern part: failing closed
            // means applying the stricter, more specific settings rather than silently skipping them.
            guard let v else { continue }
            if !Glob.matches(p, v) { return false }
        }
        return true
    }

    /// How specific a pattern is, used to order layers: first the number of parts that are not a bare `*`
    /// (missing leading parts count as `*`, so `prod` and `*/*/prod` are equally specific), then the number of
    /// literal characters in the parts.
    public static func specificity(_ pattern: String) -> (Int, Int) {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).filter { $0 != "*" }
        let literal = parts.reduce(0) { $0 + $1.filter { $0 != "*" && $0 != "?" }.count }
        return (parts.count, literal)
    }
}
