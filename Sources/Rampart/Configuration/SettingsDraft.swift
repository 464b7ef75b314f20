import RampartEngine
import RampartModel
import RampartPolicy

extension SourceLocation {
    /// A configuration error at this location.
    func error(_ message: String) -> RampartError {
        .configuration(file: file, line: line, column: column, message: message)
    }
}

/// One policy's settings as written, before they are checked against the policy.
public struct PolicySettingsDraft: Sendable {
    public var policy: String
    public var location: SourceLocation
    public var level: EnforcementLevel?
    public var properties: [(key: String, value: ConfigValue, location: SourceLocation)]
}

/// One pack's settings in one layer as written: `all` and per-policy entries, in file order.
public struct PackSettingsDraft: Sendable {
    public var pack: String
    public var location: SourceLocation
    public var all: EnforcementLevel?
    public var policies: [PolicySettingsDraft]

    /// Checks every policy name and property against `pack` and returns the engine's layer. Unknown policy
    /// names and properties are errors (CrossGuard ignores typos silently; Rampart does not).
    func layer(for pack: PolicyPack) throws(RampartError) -> PackSettingsLayer {
        var layer = PackSettingsLayer(all: all)
        let names = pack.policies.map(\.descriptor.name)
        for draft in policies {
            guard let policy = pack.policy(named: draft.policy) else {
                throw draft.location.error("unknown policy '\(draft.policy)' in pack '\(pack.name)'"
                    + Suggestion.hint(for: draft.policy, in: names))
            }
            if let level = draft.level { layer.levels[draft.policy] = level }
            let schema = policy.descriptor.configSchema
            var values: [String: ConfigValue] = [:]
            for (key, value, location) in draft.properties {
                guard let property = schema.properties[key] else {
                    let known = schema.properties.keys.sorted()
                    let expected = known.isEmpty ? "it takes no properties" : "expected one of: " + known.joined(separator: ", ")
                    throw location.error("unknown property '\(key)' for policy '\(pack.name)/\(draft.policy)'"
                        + Suggestion.hint(for: key, in: known) + "; \(expected)")
                }
                if let problem = property.problem(with: value) {
                    throw location.error("policy '\(pack.name)/\(draft.policy)' property '\(key)': \(problem)")
                }
                values[key] = value
            }
            if !values.isEmpty { layer.properties[draft.policy] = PolicyConfig(values) }
        }
        return layer
    }
}

enum LevelParser {
    static func parse(_ text: String, at location: SourceLocation, what: String) throws(RampartError) -> EnforcementLevel {
        guard let level = EnforcementLevel(rawValue: text) else {
            throw location.error("\(what): expected one of \(EnforcementLevel.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
        }
        return level
    }
}
