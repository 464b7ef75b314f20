/// A named, versioned set of policies. Built-in, YAML and single-file packs are all values of this type.
public struct PolicyPack: Sendable {
    public var name: String
    public var version: String
    public var description: String
    /// Level for policies that set none.
    public var enforcementLevel: EnforcementLevel
    public var policies: [any Policy]
    /// Where the pack came from, for messages (`builtin:awsguard`, a directory, a file).
    public var origin: String

    public init(name: String, version: String, description: String, enforcementLevel: EnforcementLevel = .advisory,
                policies: [any Policy], origin: String) {
        self.name = name
        self.version = version
        self.description = description
        self.enforcementLevel = enforcementLevel
        self.policies = policies
        self.origin = origin
    }

    /// CrossGuard's pack name rule: `^[a-zA-Z0-9-_.]{1,100}$`.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...100).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
        }
    }

    public func policy(named name: String) -> (any Policy)? { policies.first { $0.descriptor.name == name } }
}
