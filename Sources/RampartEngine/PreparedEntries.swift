import Foundation
import RampartModel
import RampartPolicy

/// What evaluating and assembling a stack derives from the enabled policies alone, not from the stack's resources:
/// worked out once per `PreparedEngine` and shared by all its evaluations. A host that evaluates one resource per
/// call (the Pulumi analyzer) would otherwise redo it on every call, for every policy.
final class PreparedEntries: Sendable {
    /// Enabled policies, sorted by (pack, policy).
    let entries: [EvaluationPlan.Entry]
    /// Entry indexes of stack policies.
    let stackEntries: [Int]
    /// Per entry: whether it is a resource policy that also sees external resources (`readsExternalResources`).
    let readsExternal: [Bool]
    /// The resource policies, in entry order, and each entry's position among them (-1 for a stack policy): cast
    /// once, so each evaluation calls the policy in place.
    let resourcePolicies: [any ResourcePolicy]
    let resourceSlots: [Int]
    let configs: [PolicyConfig]
    /// Each entry's (pack, policy) position in the engine's pack list, as evaluation records store it.
    let entryIndexes: [(pack: Int32, policy: Int32)]
    /// The identity the engine was prepared for, and its name (`entryFacts` was worked out for it).
    let identity: StackIdentity
    let stackName: String
    /// What every finding of each entry shares, for stacks named `stackName`.
    let entryFacts: [EntryFacts]
    /// Every entry's key with zero counts and its level, as a stack result lists them.
    let zeroCounts: [PolicyKey: OutcomeCounts]
    let levels: [PolicyKey: EnforcementLevel]
    private let selectors: [(index: Int, types: TypeSelector)]
    private let byType = TypeEntryCache()

    init(entries: [EvaluationPlan.Entry], packs: [PolicyPack], identity: StackIdentity) {
        self.entries = entries
        var stackEntries: [Int] = []
        var readsExternal: [Bool] = []
        var policies: [any ResourcePolicy] = []
        var slots: [Int] = []
        var selectors: [(index: Int, types: TypeSelector)] = []
        for (index, entry) in entries.enumerated() {
            if entry.policy.asStackPolicy != nil { stackEntries.append(index) }
            guard let policy = entry.policy.asResourcePolicy else {
                readsExternal.append(false)
                slots.append(-1)
                continue
            }
            readsExternal.append(policy.readsExternalResources)
            slots.append(policies.count)
            policies.append(policy)
            selectors.append((index, policy.types))
        }
        self.stackEntries = stackEntries
        self.readsExternal = readsExternal
        resourcePolicies = policies
        resourceSlots = slots
        self.selectors = selectors
        configs = entries.map(\.config)

        var table: [PolicyKey: (Int32, Int32)] = [:]
        for (p, pack) in packs.enumerated() {
            for (i, policy) in pack.policies.enumerated() {
                table[PolicyKey(pack: pack.name, policy: policy.descriptor.name)] = (Int32(p), Int32(i))
            }
        }
        entryIndexes = entries.map { table[$0.key]! }
        self.identity = identity
        stackName = identity.description
        entryFacts = Self.entryFacts(entries, stackName: stackName)
        var zeroCounts: [PolicyKey: OutcomeCounts] = [:]
        var levels: [PolicyKey: EnforcementLevel] = [:]
        for entry in entries {
            zeroCounts[entry.key] = OutcomeCounts()
            levels[entry.key] = entry.level
        }
        self.zeroCounts = zeroCounts
        self.levels = levels
    }

    /// Indexes of the resource policies whose types match `type`, in entry order; remembered per type token, since
    /// a host's calls meet the same few types again and again.
    func applicableEntries(to type: String) -> [Int] {
        if let known = byType.entries(for: type) { return known }
        var applicable: [Int] = []
        for (index, types) in selectors where types.matches(type) { applicable.append(index) }
        byType.remember(applicable, for: type)
        return applicable
    }

    /// What every finding of each entry shares, worked out once per entry rather than once per finding (reading a
    /// policy's descriptor copies all of it).
    static func entryFacts(_ entries: [EvaluationPlan.Entry], stackName: String) -> [EntryFacts] {
        entries.map { entry in
            let descriptor = entry.policy.descriptor
            let origin = Finding.Origin(stack: stackName, pack: entry.key.pack, policy: entry.key.policy,
                                        severity: descriptor.severity, remediation: descriptor.remediation)
            return EntryFacts(origin: origin, level: entry.level,
                              fingerprintSeed: Fingerprint.seed(stack: stackName, pack: entry.key.pack, policy: entry.key.policy))
        }
    }
}

/// The applicable entries per type token, shared by concurrent evaluations. Bounded: past `capacity` types it starts
/// afresh, so a long run over ever new types cannot grow it without end.
/// `@unchecked Sendable`: `known` is only read and written under `lock`.
final class TypeEntryCache: @unchecked Sendable {
    static let capacity = 4096
    private let lock = NSLock()
    private var known: [String: [Int]] = [:]

    func entries(for type: String) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        return known[type]
    }

    func remember(_ entries: [Int], for type: String) {
        lock.lock()
        defer { lock.unlock() }
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[type] = entries
    }
}
