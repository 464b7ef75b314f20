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
    let engine: Engine
    let plan: EvaluationPlan
    let raw: RawOutcomes
    /// Positions in `raw`, in report order.
    let order: [Int]
    let urnRank: [Int]
    let refs: [ResourceRef]
    let redactor: SecretRedactor
    /// (pack, policy) positions of each plan entry in the engine's pack list.
    let entryIndexes: [(pack: Int32, policy: Int32)]
    /// What the findings of each resource with findings share.
    let resourceFacts: ResourceFindingFactsTable
    let stack: StackFacts
    /// Per plan entry: what its findings share.
    let facts: [EntryFacts]

    /// Assembles the outcomes at `range` of `order`: findings go to `output.findings` from `findingStart` on,
    /// records to `output.records` at the same positions as in `order`.
    func assemble(_ range: Range<Int>, into output: AssemblyOutput, findingStart: Int) -> AssembledPart {
        let recordEvaluations = engine.options.recordEvaluations
        let stackName = stack.name
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
                let resourceFacts = self.resourceFacts[item.resource]
                let ref = rank >= 0 ? refs[rank] : nil
                var finding = makeFinding(
                    facts[item.entry], ref: ref,
                    resourceLocation: resourceFacts?.location, outcome: .violation,
                    message: redactor.redact(violation.message), proposedFix: violation.proposedFix.map(redactor.redact),
                    location: violation.location.map { redactor.redact($0) }, detailKey: violation.detailKey.map(redactor.redact))
                if let exemption = exemption(
                    for: plan.entries[item.entry].key, ref: ref, stackName: stackName,
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
                let finding = makeFinding(
                    facts[item.entry], ref: rank >= 0 ? refs[rank] : nil,
                    resourceLocation: resourceFacts[item.resource]?.location, outcome: kind,
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

    /// `resourceLocation`: where the program declares the resource (`ResourceFindingFacts.location`), the finding's
    /// location when the policy gives none.
    func makeFinding(_ facts: EntryFacts, ref: ResourceRef?, resourceLocation: SourceLocation?,
                     outcome: OutcomeKind, message: String, proposedFix: String?, location: SourceLocation?,
                     detailKey: String?) -> Finding {
        var level = facts.level
        if level == .remediate && proposedFix == nil { level = .mandatory }
        var text = message
        // A string has at least as many UTF-8 bytes as characters: short messages skip the character count.
        if text.utf8.count > ResultAssembler.maxMessageLength && text.count > ResultAssembler.maxMessageLength {
            text = String(text.prefix(ResultAssembler.maxMessageLength)) + "… (message cut at \(ResultAssembler.maxMessageLength) characters)"
        }
        return Finding(origin: facts.origin, resource: ref, enforcementLevel: level, outcome: outcome, message: text,
                       fingerprint: facts.fingerprintSeed.lanes(urn: ref?.urn, detail: detailKey ?? location?.file),
                       proposedFix: proposedFix, location: location ?? resourceLocation, detailKey: detailKey)
    }

    /// The exemption that waives a violation: a configured one (not expired), else a `rampart:exempt` tag on the
    /// resource that names the policy and gives a reason. A tag without a reason waives nothing and is noted.
    /// `ref` is nil for a stack-level finding. Configured exemptions match on the resource's URN and type, which its
    /// reference holds, so the stack is not read.
    func exemption(for key: PolicyKey, ref: ResourceRef?, stackName: String,
                   notices: inout [String: ReportNotice], tag declaredTag: TagExemption?) -> ExemptionRecord? {
        if !engine.exemptions.isEmpty {
            if let configured = engine.exemptions.first(where: {
                !$0.isExpired(today: engine.options.today)
                    && $0.matches(pack: key.pack, policy: key.policy, stack: stack.identity, urn: ref?.urn, type: ref?.type)
            }) {
                return ExemptionRecord(policy: configured.policy, urn: ref?.urn, stack: stackName, reason: configured.reason,
                                       expires: configured.expires, expired: false, source: configured.source)
            }
        }
        guard let ref, let tag = declaredTag, tag.covers(pack: key.pack, policy: key.policy) else {
            return nil
        }
        guard let reason = tag.reason else {
            notices[ref.urn] = ReportNotice(
                source: stack.source,
                message: "\(ref.urn): tag \(TagExemption.key) ignored: it needs a \(TagExemption.reasonKey) tag giving the reason")
            return nil
        }
        return ExemptionRecord(policy: "\(key.pack)/\(key.policy)", urn: ref.urn, stack: stackName, reason: reason,
                               source: "tag \(TagExemption.key) on \(ref.name)")
    }
}
