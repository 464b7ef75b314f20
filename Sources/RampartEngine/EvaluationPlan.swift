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
    var entries: [Entry] { prepared.entries }
    /// What the plan derives from its entries alone, shared by every plan of one `PreparedEngine`.
    let prepared: PreparedEntries
    /// Entry indexes of resource policies applying to each type token present in the graph.
    let resourceEntriesByType: [String: [Int]]
    /// Entry indexes of stack policies.
    var stackEntries: [Int] { prepared.stackEntries }

    /// The enabled policies with their level and config: what depends on the settings but not on the graph, so a
    /// `PreparedEngine` computes it once for many stacks.
    static func entries(packs: [PolicyPack], settings: StackPolicySettings) -> [Entry] {
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
        return entries
    }

    init(entries prepared: PreparedEntries, graph: ResourceGraph) {
        var byType: [String: [Int]] = [:]
        for type in graph.types {
            let applicable = prepared.applicableEntries(to: type)
            if !applicable.isEmpty { byType[type] = applicable }
        }
        self.prepared = prepared
        self.resourceEntriesByType = byType
    }
}

/// One raw outcome before it becomes a finding or a count. A big stack has millions of these, so indexes are
/// stored in 32 bits (a stack holds at most `InputReader.defaultMaxResources` = 10,000,000 resources).
struct RawOutcome: Sendable {
    private let entryIndex: Int32
    private let resourceIndex: Int32
    /// `outcome.kind`, kept beside it: passes that sort and count outcomes read it in place, where asking the
    /// outcome copies (retains) its payload.
    let kind: OutcomeKind
    let outcome: Outcome

    init(entry: Int, resource: Int, outcome: Outcome) {
        entryIndex = Int32(entry)
        resourceIndex = Int32(resource)
        kind = outcome.kind
        self.outcome = outcome
    }

    /// Index into the plan's entries.
    var entry: Int { Int(entryIndex) }
    /// Resource index in the graph, or -1 for a stack-level outcome.
    var resource: Int { Int(resourceIndex) }
}

/// The outcomes of one stack as the workers produced them: one run per task, kept apart so they are never copied
/// into one array. A position packs (run, offset) into one integer.
struct RawOutcomes: Sendable {
    let runs: [[RawOutcome]]
    /// Outcomes that were counted instead of kept (`StackEvaluator.keepsEveryOutcome`), per plan entry.
    let tallies: [OutcomeCounts]

    var positions: [Int] {
        var all: [Int] = []
        all.reserveCapacity(runs.reduce(0) { $0 + $1.count })
        for (run, outcomes) in runs.enumerated() {
            for offset in outcomes.indices { all.append(run << 32 | offset) }
        }
        return all
    }

    subscript(position: Int) -> RawOutcome { runs[position >> 32][position & 0xFFFF_FFFF] }

    /// Calls `body` with every outcome in evaluation order (the order of `positions`) and its place in that order,
    /// in place: a copy of an outcome retains its message, which passes over entries, resources and kinds never
    /// read. `body` reads the pointee's fields, valid during the call.
    func forEachInPlace(_ body: (_ flat: Int, _ item: UnsafePointer<RawOutcome>) -> Void) {
        var flat = 0
        runs.withUnsafeBufferPointer { runs in
            for run in runs.indices {
                runs[run].withUnsafeBufferPointer { outcomes in
                    guard let base = outcomes.baseAddress else { return }
                    for i in outcomes.indices {
                        body(flat, base + i)
                        flat += 1
                    }
                }
            }
        }
    }
}
