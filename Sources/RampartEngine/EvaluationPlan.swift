import RampartModel
import RampartPolicy

/// The enabled policies for one stack with their effective level and config, indexed by type token so each
/// resource meets only the policies that can apply to it.
struct EvaluationPlan: Sendable {
    struct Entry: Sendable {
        var packIndex: Int
        var key: PolicyKey
        var policy: any Policy
        var level: EnforcementLevel
        var config: PolicyConfig
    }

    /// Enabled policies, sorted by (pack, policy).
    let entries: [Entry]
    /// Entry indexes of resource policies applying to each type token present in the graph.
    let resourceEntriesByType: [String: [Int]]
    /// Entry indexes of stack policies.
    let stackEntries: [Int]

    init(packs: [PolicyPack], settings: StackPolicySettings, graph: ResourceGraph) {
        var entries: [Entry] = []
        for (packIndex, pack) in packs.enumerated() {
            for policy in pack.policies.sorted(by: { $0.descriptor.name < $1.descriptor.name }) {
                let key = PolicyKey(pack: pack.name, policy: policy.descriptor.name)
                let level = settings.levels[key] ?? policy.descriptor.enforcementLevel ?? pack.enforcementLevel
                guard level != .disabled else { continue }
                entries.append(Entry(packIndex: packIndex, key: key, policy: policy, level: level,
                                     config: settings.configs[key] ?? policy.descriptor.configSchema.defaults))
            }
        }
        var byType: [String: [Int]] = [:]
        var stackEntries: [Int] = []
        for type in graph.types {
            var applicable: [Int] = []
            for (i, entry) in entries.enumerated() {
                if let policy = entry.policy as? any ResourcePolicy, policy.types.matches(type) { applicable.append(i) }
            }
            if !applicable.isEmpty { byType[type] = applicable }
        }
        for (i, entry) in entries.enumerated() where entry.policy is any StackPolicy { stackEntries.append(i) }
        self.entries = entries
        self.resourceEntriesByType = byType
        self.stackEntries = stackEntries
    }
}

/// One raw outcome before it becomes a finding or a count.
struct RawOutcome: Sendable {
    var entry: Int
    /// Resource index in the graph, or -1 for a stack-level outcome.
    var resource: Int
    var outcome: Outcome
}
