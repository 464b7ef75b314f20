import RampartEngine
import RampartPolicy

/// Where something was written in a config file.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return file }
        return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }

    /// A configuration error at this location.
    func error(_ message: String) -> RampartError {
        .configuration(file: file, line: line, column: column, message: message)
    }
}

/// One policy's settings as written, before they are checked against the policy.
public struct PolicySettingsDraft: Sendable {
    public var policy: String
    public var location: ConfigLocation
    public var level: EnforcementLevel?
    public var properties: [(key: String, value: ConfigValue, location: ConfigLocation)]
}

/// One pack's settings in one layer as written: `all` and per-policy entries, in file order.
public struct PackSettingsDraft: Sendable {
    public var pack: String
    public var location: ConfigLocation
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
                    + Suggestion.didYouMean(draft.policy, among: names))
            }
            if let level = draft.level { layer.levels[draft.policy] = level }
            let schema = policy.descriptor.configSchema
            var values: [String: ConfigValue] = [:]
            for (key, value, location) in draft.properties {
                guard let property = schema.properties[key] else {
                    let known = schema.properties.keys.sorted()
                    let expected = known.isEmpty ? "it takes no properties" : "expected one of: " + known.joined(separator: ", ")
                    throw location.error("unknown property '\(key)' for policy '\(pack.name)/\(draft.policy)'"
                        + Suggestion.didYouMean(key, among: known) + "; \(expected)")
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
    static func parse(_ text: String, at location: ConfigLocation, what: String) throws(RampartError) -> EnforcementLevel {
        guard let level = EnforcementLevel(rawValue: text) else {
            throw location.error("\(what): expected one of \(EnforcementLevel.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
        }
        return level
    }
}

/// "did you mean" suggestions by edit distance.
enum Suggestion {
    /// `; did you mean 'x'?` for the closest candidate within a third of the word's length (at least 2), or "".
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        let limit = max(2, word.count / 3)
        let best = candidates.map { ($0, EditDistance.between(word.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= limit }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }
        return best.map { "; did you mean '\($0.0)'?" } ?? ""
    }
}
