import RampartEngine
import RampartPolicy

/// Options a pack author sets (PulumiPolicy.yaml `runtime.options`, or `-name=value` arguments).
public struct AnalyzerOptions: Sendable, Hashable {
    /// Report indeterminate outcomes (a value unknown during preview, an encrypted secret) as advisory
    /// diagnostics. Off by default: they go to the `not_applicable` list instead of posing as violations.
    public var reportIndeterminate: Bool

    public init(reportIndeterminate: Bool = false) {
        self.reportIndeterminate = reportIndeterminate
    }
}

/// The one policy pack the analyzer presents to Pulumi, made of one or more Rampart packs.
///
/// Pulumi expects one pack per analyzer process. With one Rampart pack its name, version and policy names are
/// served unchanged, so `--policy-pack-config` files written for the same names keep working. With several, the
/// served pack is named after the pack directory and every policy is named `<pack>/<policy>`, which keeps names
/// unique and says where each policy comes from.
public struct AnalyzerPack: Sendable {
    /// One served policy.
    public struct Entry: Sendable {
        /// The name Pulumi sees (in diagnostics, config files and `Configure`).
        public var wireName: String
        public var key: PolicyKey
        public var policy: any Policy
        public var isStackPolicy: Bool { policy.asStackPolicy != nil }
    }

    public var name: String
    public var version: String
    public var description: String
    /// The Rampart packs, sorted by name.
    public let packs: [PolicyPack]
    /// Served policies, sorted by wire name.
    public let entries: [Entry]
    /// Settings from rampart.yaml (per-stack layers); Pulumi's `Configure` is applied over them.
    public var settings: SettingsResolver
    public var exemptions: [Exemption]
    public var options: AnalyzerOptions
    private let byWireName: [String: Int]

    /// - Parameters:
    ///   - name: the served name when several packs are combined (a single pack keeps its own name).
    ///   - version: overrides the packs' version (PulumiPolicy.yaml `version`); the engine does the same.
    public init(packs: [PolicyPack], name: String, version: String? = nil, description: String? = nil,
                settings: SettingsResolver = SettingsResolver(), exemptions: [Exemption] = [],
                options: AnalyzerOptions = AnalyzerOptions()) throws(AnalyzerError) {
        let sorted = packs.sorted { $0.name < $1.name }
        let single = sorted.count == 1 ? sorted[0] : nil
        self.name = single?.name ?? name
        self.version = version ?? single?.version ?? "0.0.0"
        self.description = description ?? single?.description ?? "Rampart packs: " + sorted.map(\.name).joined(separator: ", ")
        self.packs = sorted
        self.settings = settings
        self.exemptions = exemptions
        self.options = options
        var entries: [Entry] = []
        for pack in sorted {
            for policy in pack.policies {
                let policyName = policy.descriptor.name
                entries.append(Entry(wireName: single == nil ? "\(pack.name)/\(policyName)" : policyName,
                                     key: PolicyKey(pack: pack.name, policy: policyName), policy: policy))
            }
        }
        entries.sort { $0.wireName < $1.wireName }
        var index: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            guard index.updateValue(i, forKey: entry.wireName) == nil else { throw .duplicatePolicy(name: entry.wireName) }
        }
        self.entries = entries
        self.byWireName = index
    }

    public func entry(named wireName: String) -> Entry? { byWireName[wireName].map { entries[$0] } }

    public func wireName(of key: PolicyKey) -> String {
        packs.count == 1 ? key.policy : key.description
    }

    /// The packs with only their resource policies (for `Analyze`) or only their stack policies (`AnalyzeStack`).
    func packs(stackPolicies: Bool) -> [PolicyPack] {
        packs.map { pack in
            var copy = pack
            copy.policies = pack.policies.filter { ($0.asStackPolicy != nil) == stackPolicies }
            return copy
        }
    }
}
