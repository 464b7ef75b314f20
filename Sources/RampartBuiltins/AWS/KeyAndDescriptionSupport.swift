import Foundation
import RampartPolicy

/// References to KMS keys as resources name them (key id, key ARN, alias name, alias ARN).
enum KMSKeyReference {
    /// Whether `reference` names a key the account manages: non-empty and not an AWS-managed alias
    /// (`alias/aws/<service>`, or its ARN form), which is the key a service uses when none is given.
    static func isCustomerManaged(_ reference: String?) -> Bool {
        let text = reference?.trimmingWhitespace(newlines: false) ?? ""
        return !text.isEmpty && !text.hasPrefix("alias/aws/") && !text.contains(":alias/aws/")
    }
}

/// "Has a description" checks: a description is a non-blank string of at least `minimumLength` characters, so
/// that placeholders such as `"key"` or `"abc"` do not count.
enum ResourceDescription {
    static let defaultMinimumLength = 6

    static let schema = ConfigSchema(properties: [
        "minimumLength": ConfigProperty(type: .integer, description: "Shortest description (in characters, blanks trimmed) that counts as one.",
                                        default: .number(Double(defaultMinimumLength)), minimum: 1, maximum: 256),
    ])

    /// Pass when `resource`'s `path` holds a description of the configured length; `what` names the resource in
    /// the message ("KMS key"). An unknown (preview) description is indeterminate.
    static func outcome(_ resource: ResourceContext, config: PolicyConfig, what: String, path: String = "description") throws(PolicyControl) -> Outcome {
        let minimum = (config.number("minimumLength") ?? Double(defaultMinimumLength)).clampedInt
        let text = try resource.string(path)?.trimmingWhitespace() ?? ""
        if text.isEmpty { return .violation("\(what) \(resource.name) has no description.") }
        return .check(text.count >= minimum,
                      "\(what) \(resource.name) has a \(text.count)-character description; at least \(minimum) characters say what it is for.")
    }
}

extension PropertyLookup {
    /// How many distinct entries a list of ids or names has: distinct known strings plus each unknown (preview)
    /// entry, which is a separate value still to be resolved (two unknown subnet ids are two subnets).
    var distinctEntryCount: Int {
        let entries = elements
        return Set(entries.compactMap(\.string)).count + entries.filter(\.isOpaque).count
    }
}
