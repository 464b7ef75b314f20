import RampartModel
import RampartPolicy

/// Where the workers put findings and evaluation records: the storage of the stack's final arrays, each run
/// writing its own disjoint slice (run boundaries are counted before the workers start).
/// `@unchecked Sendable`: the pointers are only written at indexes no other run touches, and read after all
/// workers have finished.
struct AssemblyOutput: @unchecked Sendable {
    let findings: UnsafeMutablePointer<Finding>?
    /// nil when evaluations are not recorded.
    let records: UnsafeMutablePointer<Evaluation>?
}

/// What one run of sorted outcomes leaves besides its findings and records; `ResultAssembler` merges the runs in
/// order.
struct AssembledPart: Sendable {
    /// One past the last finding this run wrote.
    var findingEnd = 0
    /// Counts per plan entry.
    var counts: [OutcomeCounts]
    var applied: [ExemptionRecord] = []
    /// Notes about `rampart:exempt` tags that waive nothing, by resource URN.
    var tagNotices: [String: ReportNotice] = [:]
}

/// The read-only inputs a worker needs to assemble one run of sorted outcomes.
struct AssemblyContext: Sendable {
    let assembler: ResultAssembler
    let raw: RawOutcomes
    /// Positions in `raw`, in report order.
    let order: [Int]
    let urnRank: [Int]
    let refs: [ResourceRef]
    let redactor: SecretRedactor
    /// (pack, policy) positions of each plan entry in the engine's pack list.
    let entryIndexes: [(pack: Int32, policy: Int32)]
    /// What the findings of each resource with findings share.
    let resourceFacts: [ResourceFindingFacts?]
    let stackName: String
    /// Per plan entry: what its findings share.
    let facts: [EntryFacts]

    /// Assembles the outcomes at `range` of `order`: findings go to `output.findings` from `findingStart` on,
    /// records to `output.records` at the same positions as in `order`.
    func assemble(_ range: Range<Int>, into output: AssemblyOutput, findingStart: Int) -> AssembledPart {
        let plan = assembler.plan
        let recordEvaluations = assembler.engine.options.recordEvaluations
        var part = AssembledPart(counts: [OutcomeCounts](repeating: OutcomeCounts(), count: plan.entries.count))
        var nextFinding = findingStart
        // The same few reasons repeat over many resources: redact each distinct one once.
        var redactedReasons: [String: String] = [:]

        for position in range {
            let item = raw[order[position]]
            let level = facts[item.entry].level
            let kind = item.outcome.kind
            let rank = item.resource < 0 ? -1 : urnRank[item.resource]
            let (packIndex, policyIndex) = entryIndexes[item.entry]
            var record = Evaluation(stack: 0, pack: packIndex, policy: policyIndex, resource: Int32(rank), outcome: kind,
                                    level: level)
            switch item.outcome {
            case .pass:
                part.counts[item.entry].add(.pass)
            case .notApplicable(let reason):
                part.counts[item.entry].add(.notApplicable)
                // Reasons reach reports (JUnit `skipped`), so they are redacted like messages.
                if let cached = redactedReasons[reason] {
                    record.reason = cached
                } else {
                    let redacted = redactor.redact(reason)
                    redactedReasons[reason] = redacted
                    record.reason = redacted
                }
            case .violation(let violation):
                let resourceFacts = item.resource >= 0 ? self.resourceFacts[item.resource] : nil
                var finding = assembler.makeFinding(
                    facts[item.entry], stackName: stackName, ref: rank >= 0 ? refs[rank] : nil,
                    resourceLocation: resourceFacts?.location, outcome: .violation,
                    message: redactor.redact(violation.message), proposedFix: violation.proposedFix.map(redactor.redact),
                    location: violation.location.map { redactor.redact($0) }, detailKey: violation.detailKey.map(redactor.redact))
                if let exemption = assembler.exemption(
                    for: plan.entries[item.entry].key, resourceIndex: item.resource, stackName: stackName,
                    notices: &part.tagNotices, tag: resourceFacts?.tag) {
                    finding.exemption = exemption
                    part.applied.append(exemption)
                    part.counts[item.entry].exempted += 1
                    record.exempted = true
                } else {
                    part.counts[item.entry].add(.violation)
                }
                record.level = finding.enforcementLevel
                record.finding = Int32(nextFinding)
                (output.findings! + nextFinding).initialize(to: finding)
                nextFinding += 1
            case .indeterminate(let reason), .error(let reason):
                let finding = assembler.makeFinding(
                    facts[item.entry], stackName: stackName, ref: rank >= 0 ? refs[rank] : nil,
                    resourceLocation: item.resource >= 0 ? resourceFacts[item.resource]?.location : nil, outcome: kind,
                    message: redactor.redact(reason), proposedFix: nil, location: nil, detailKey: nil)
                part.counts[item.entry].add(kind)
                record.reason = finding.message
                record.level = finding.enforcementLevel
                record.finding = Int32(nextFinding)
                (output.findings! + nextFinding).initialize(to: finding)
                nextFinding += 1
            }
            if recordEvaluations { (output.records! + position).initialize(to: record) }
        }
        part.findingEnd = nextFinding
        return part
    }
}
