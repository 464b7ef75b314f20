import RampartModel
import RampartPolicy

/// Identifies a policy across packs.
public struct PolicyKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var pack: String
    public var policy: String
    public init(pack: String, policy: String) {
        self.pack = pack
        self.policy = policy
    }
    public var description: String { "\(pack)/\(policy)" }
    public static func < (lhs: PolicyKey, rhs: PolicyKey) -> Bool { (lhs.pack, lhs.policy) < (rhs.pack, rhs.policy) }
}

/// One layer of enforcement settings for one pack (a `--policy-pack-config` file, a `rampart.yaml` stack entry).
/// Within a layer `all` applies first, then the named policies.
public struct PackSettingsLayer: Sendable, Hashable {
    public var all: EnforcementLevel?
    public var levels: [String: EnforcementLevel]
    public var properties: [String: PolicyConfig]
    public init(all: EnforcementLevel? = nil, levels: [String: EnforcementLevel] = [:], properties: [String: PolicyConfig] = [:]) {
        self.all = all
        self.levels = levels
        self.properties = properties
    }
}

/// The effective level and config of every policy for one stack.
public struct StackPolicySettings: Sendable {
    public var levels: [PolicyKey: EnforcementLevel]
    public var configs: [PolicyKey: PolicyConfig]
    public init(levels: [PolicyKey: EnforcementLevel] = [:], configs: [PolicyKey: PolicyConfig] = [:]) {
        self.levels = levels
        self.configs = configs
    }
}

/// Resolves levels and config exactly as CrossGuard does: the policy's own level, else the pack default; then
/// each config layer in order, and within a layer `all` first, then named policies. Config properties start from
/// the policy's schema defaults and are overlaid layer by layer.
public struct SettingsResolver: Sendable {
    /// Layers that apply to every stack, in order (e.g. `--policy-pack-config`).
    public var globalLayers: [String: [PackSettingsLayer]]
    /// Layers selected by stack pattern, each with its pattern; applied after the global ones, less specific first.
    public var stackLayers: [(pattern: String, pack: String, layer: PackSettingsLayer)]

    public init(globalLayers: [String: [PackSettingsLayer]] = [:],
                stackLayers: [(pattern: String, pack: String, layer: PackSettingsLayer)] = []) {
        self.globalLayers = globalLayers
        self.stackLayers = stackLayers
    }

    public func layers(for pack: String, stack: StackIdentity) -> [PackSettingsLayer] {
        var result = globalLayers[pack] ?? []
        let matching = stackLayers.enumerated()
            .filter { $0.element.pack == pack && StackPattern.matches($0.element.pattern, stack) }
            .sorted { a, b in
                let sa = StackPattern.specificity(a.element.pattern), sb = StackPattern.specificity(b.element.pattern)
                return sa != sb ? sa < sb : a.offset < b.offset
            }
        result.append(contentsOf: matching.map(\.element.layer))
        return result
    }

    public func settings(for packs: [PolicyPack], stack: StackIdentity) -> StackPolicySettings {
        var result = StackPolicySettings()
        for pack in packs {
            let layers = layers(for: pack.name, stack: stack)
            for policy in pack.policies {
                let d = policy.descriptor
                let key = PolicyKey(pack: pack.name, policy: d.name)
                var level = d.enforcementLevel ?? pack.enforcementLevel
                var config = d.configSchema.defaults
                for layer in layers {
                    if let all = layer.all { level = all }
                    if let named = layer.levels[d.name] { level = named }
                    if let props = layer.properties[d.name] { config = config.merging(props) }
                }
                result.levels[key] = level
                result.configs[key] = config
            }
        }
        return result
    }
}
