import RampartEngine
import RampartModel
import RampartPolicy

/// Checks configuration against the packs of a run and turns it into the engine's settings: the
/// `--policy-pack-config` files become global layers (in the order given), `rampart.yaml`'s stack entries the
/// per-stack layers after them, and its exemptions the engine's exemptions.
public struct ConfigurationResolver: Sendable {
    public var packs: [PolicyPack]

    public init(packs: [PolicyPack]) { self.packs = packs }

    public func resolve(configuration: RampartConfiguration?, policyPackConfigs: [PackSettingsDraft] = [])
        throws(RampartError) -> (resolver: SettingsResolver, exemptions: [Exemption]) {
        var global: [String: [PackSettingsLayer]] = [:]
        for draft in policyPackConfigs {
            let pack = try self.pack(draft.pack, at: draft.location, context: "--policy-pack-config")
            global[pack.name, default: []].append(try draft.layer(for: pack))
        }
        var stackLayers: [(pattern: String, pack: String, layer: PackSettingsLayer)] = []
        var exemptions: [Exemption] = []
        if let configuration {
            for (pattern, draft) in configuration.stacks {
                let pack = try self.pack(draft.pack, at: draft.location, context: "stacks.\"\(pattern)\"")
                stackLayers.append((pattern, pack.name, try draft.layer(for: pack)))
            }
            for (exemption, location) in configuration.exemptions {
                try check(exemptionPolicy: exemption.policy, at: location)
                exemptions.append(exemption)
            }
        }
        return (SettingsResolver(globalLayers: global, stackLayers: stackLayers), exemptions)
    }

    private func pack(_ name: String, at location: SourceLocation, context: String) throws(RampartError) -> PolicyPack {
        if let pack = packs.first(where: { $0.name == name }) { return pack }
        let names = packs.map(\.name).sorted()
        throw location.error("\(context): unknown policy pack '\(name)'" + Suggestion.hint(for: name, in: names)
            + "; packs in this run: " + (names.isEmpty ? "none" : names.joined(separator: ", ")))
    }

    /// `pack/policy` (the policy part may be a glob) or a bare policy name that some pack has.
    private func check(exemptionPolicy text: String, at location: SourceLocation) throws(RampartError) {
        if let slash = text.firstIndex(of: "/") {
            let packName = String(text[..<slash]), policyName = String(text[text.index(after: slash)...])
            let pack = try pack(packName, at: location, context: "exemption")
            if policyName.contains("*") || policyName.contains("?") { return }
            let names = pack.policies.map(\.descriptor.name)
            guard names.contains(policyName) else {
                throw location.error("exemption: unknown policy '\(policyName)' in pack '\(pack.name)'"
                    + Suggestion.hint(for: policyName, in: names))
            }
            return
        }
        let names = packs.flatMap { $0.policies.map(\.descriptor.name) }
        guard names.contains(text) else {
            throw location.error("exemption: no pack in this run has a policy '\(text)'" + Suggestion.hint(for: text, in: names))
        }
    }
}
