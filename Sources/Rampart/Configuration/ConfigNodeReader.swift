import Foundation
import RampartEngine
import RampartModel
import RampartPolicy
import RampartYAML
import Yams

/// Typed reads of a composed YAML tree; every failure names the file, line and column. `YAMLReader` has already
/// held the tree to the node and depth budget (an alias bomb never gets here).
struct ConfigNodeReader {
    let file: String

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func mapping(_ node: Node, what: String) throws(RampartError) -> [(Located<String>, Node)] {
        guard case .mapping(let mapping) = node else {
            throw location(node).error("\(what): expected a mapping, found \(describe(node))")
        }
        var seen = Set<String>()
        var result: [(Located<String>, Node)] = []
        for (key, value) in mapping {
            let text = try string(key, what: "a key in \(what)")
            guard seen.insert(text).inserted else { throw location(key).error("\(what): key '\(text)' appears twice") }
            result.append((Located(text, at: location(key)), value))
        }
        return result
    }

    /// A list, or a single scalar taken as a list of one.
    func sequence(_ node: Node, what: String, allowSingle: Bool = false) throws(RampartError) -> [Node] {
        if case .sequence(let sequence) = node { return Array(sequence) }
        if allowSingle, case .scalar = node { return [node] }
        throw location(node).error("\(what): expected a list, found \(describe(node))")
    }

    func string(_ node: Node, what: String) throws(RampartError) -> String {
        guard case .scalar(let scalar) = node else {
            throw location(node).error("\(what): expected a string, found \(describe(node))")
        }
        return scalar.string
    }

    /// A YAML value as a typed config value (quoted scalars stay strings; plain ones resolve to null/bool/number by
    /// YAML 1.2's core schema, as rule files and Pulumi's own files do).
    func value(_ node: Node) throws(RampartError) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            switch ScalarValue.resolve(scalar.string) {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .number(let d): return .number(d)
            case .string(let text): return .string(text)
            }
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            for item in sequence { items.append(try value(item)) }
            return .array(items)
        case .mapping:
            var members: [String: ConfigValue] = [:]
            for (key, item) in try mapping(node, what: "a value") { members[key.value] = try value(item) }
            return .object(members)
        case .alias:
            throw location(node).error("YAML aliases are not supported here")
        }
    }

    /// `{ all: level, <policy>: level | { enforcementLevel?, <property>: value } }`, or a bare level meaning `all`.
    func packSettings(_ node: Node, pack: Located<String>) throws(RampartError) -> PackSettingsDraft {
        let packName = pack.value.hasPrefix("builtin:") ? String(pack.value.dropFirst("builtin:".count)) : pack.value
        var draft = PackSettingsDraft(pack: packName, location: pack.location, all: nil, policies: [])
        if case .scalar = node {
            draft.all = try LevelParser.parse(try string(node, what: pack.value), at: location(node), what: "level of pack '\(pack.value)'")
            return draft
        }
        for (key, value) in try mapping(node, what: "settings of pack '\(pack.value)'") {
            if key.value == "all" {
                draft.all = try LevelParser.parse(try string(value, what: "all"), at: location(value), what: "'all' of pack '\(pack.value)'")
                continue
            }
            draft.policies.append(try policySettings(value, policy: key))
        }
        return draft
    }

    func policySettings(_ node: Node, policy: Located<String>) throws(RampartError) -> PolicySettingsDraft {
        var draft = PolicySettingsDraft(policy: policy.value, location: policy.location, level: nil, properties: [])
        if case .scalar = node {
            draft.level = try LevelParser.parse(try string(node, what: policy.value), at: location(node), what: "level of policy '\(policy.value)'")
            return draft
        }
        for (key, value) in try mapping(node, what: "settings of policy '\(policy.value)'") {
            if key.value == "enforcementLevel" {
                draft.level = try LevelParser.parse(try string(value, what: "enforcementLevel"), at: location(value),
                                                    what: "enforcementLevel of policy '\(policy.value)'")
            } else {
                draft.properties.append((key.value, try self.value(value), location(value)))
            }
        }
        return draft
    }

    /// `{ policy, resources?, types?, stacks?, reason, expires? }`.
    func exemption(_ node: Node) throws(RampartError) -> (exemption: Exemption, policyLocation: SourceLocation) {
        let at = location(node)
        var policy: (String, SourceLocation)?
        var reason: String?
        var expires: String?
        var globs: [String: [String]] = [:]
        let keys = ["expires", "policy", "reason", "resources", "stacks", "types"]
        for (key, value) in try mapping(node, what: "an exemption") {
            switch key.value {
            case "policy": policy = (try string(value, what: "policy"), location(value))
            case "reason": reason = try string(value, what: "reason")
            case "expires":
                let text = try string(value, what: "expires")
                guard ExemptionDate.isValid(text) else {
                    throw location(value).error("expires: expected a date YYYY-MM-DD, found '\(text)'")
                }
                expires = text
            case "resources", "types", "stacks":
                var patterns: [String] = []
                for item in try sequence(value, what: key.value, allowSingle: true) { patterns.append(try string(item, what: key.value)) }
                if key.value == "stacks" {
                    for pattern in patterns { try RampartConfiguration.checkStackPattern(pattern, at: location(value)) }
                }
                globs[key.value] = patterns
            default:
                throw key.location.error("unknown exemption key '\(key.value)'" + Suggestion.hint(for: key.value, in: keys)
                    + "; expected one of: " + keys.joined(separator: ", "))
            }
        }
        guard let policy else { throw at.error("exemption: 'policy' is required (pack/policy or policy)") }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw at.error("exemption for '\(policy.0)': 'reason' is required and may not be empty")
        }
        let exemption = Exemption(policy: policy.0, resources: globs["resources"] ?? [], types: globs["types"] ?? [],
                                  stacks: globs["stacks"] ?? [], reason: reason, expires: expires, source: at.description)
        return (exemption, policy.1)
    }
}

/// Exemption dates: `YYYY-MM-DD` with a real month and day.
enum ExemptionDate {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && (1...days[month - 1]).contains(day)
    }
}
