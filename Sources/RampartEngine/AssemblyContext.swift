import RampartModel
import RampartPolicy

/// Where the workers put findings and evaluation records: the storage of the stack's final arrays, each outcome
/// writing its own places (`OutcomePlacement`, worked out before the workers start).
/// `@unchecked Sendable`: the pointers are only written at places no other outcome has, and read after all
/// workers have finished.
struct AssemblyOutput: @unchecked Sendable {
    let findings: UnsafeMutablePointer<Finding>?
    /// nil when evaluations are not recorded.
    let records: UnsafeMutablePointer<Evaluation>?
}

/// Where each outcome goes in the report, by its position in evaluation order (`RawOutcomes.positions`).
struct OutcomePlacement: Sendable {
    /// The outcome's finding's place among the stack's findings (report order), or -1 when it makes none.
    var findings: [Int32]
    /// The outcome's place in report order, which its evaluation record takes (empty when evaluations are not
    /// recorded).
    var reportPositions: [Int32]
    var findingCount = 0

    init(count: Int, recordsEvaluations: Bool) {
        findings = [Int32](repeating: -1, count: count)
        reportPositions = recordsEvaluations ? [Int32](repeating: 0, count: count) : []
    }
}

/// What one run of outcomes leaves besides its findings and records; `StackAssembly` merges the runs.
struct AssembledPart: Sendable {
    /// How many findings this run wrote.
    var findingsWritten = 0
    /// Counts per plan entry.
    var counts: [OutcomeCounts]
    /// Exemptions applied, with the place of the finding each waives.
    var applied: [(finding: Int32, record: ExemptionRecord)] = []
    /// Notes about `rampart:exempt` tags that waive nothing, by resource URN.
    var tagNotices: [String: ReportNotice] = [:]
}

/// The read-only inputs a worker needs to assemble one run of outcomes.
struct AssemblyContext: Sendable {
    let engine: Engine
    let plan: EvaluationPlan
    let raw: RawOutcomes
    /// Positions in `raw`, in evaluation order (`RawOutcomes.positions`).
    let positions: [Int]
    /// Where each of them goes in the report.
    let placement: OutcomePlacement
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

    /// Assembles the outcomes at `range` of `positions`: findings and records go to their places in `output`.
    func assemble(_ range: Range<Int>, into output: AssemblyOutput) -> AssembledPart {
        let recordEvaluations = engine.options.recordEvaluations
        let stackName = stack.name
        var part = AssembledPart(counts: [OutcomeCounts](repeating: OutcomeCounts(), count: plan.entries.count))
        // The same few reasons repeat over many resources: redact each distinct one once.
        var redactedReasons: [String: String] = [:]

        for position in range {
            let item = raw[positions[position]]
            let level = facts[item.entry].level
            let kind = item.kind
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
                    // Closures, not `redactor.redact` as a function value: that copied the redactor (its four
                    // tables' reference counts, which every assembling worker shares) for every finding.
                    message: redactor.redact(violation.message), proposedFix: violation.proposedFix.map { redactor.redact($0) },
                    location: violation.location.map { redactor.redact($0) }, detailKey: violation.detailKey.map { redactor.redact($0) })
                if let exemption = exemption(
                    for: plan.entries[item.entry].key, ref: ref, stackName: stackName,
                    notices: &part.tagNotices, tag: resourceFacts?.tag) {
                    finding.exemption = exemption
                    part.applied.append((placement.findings[position], exemption))
                    part.counts[item.entry].exempted += 1
                    record.exempted = true
                } else {
                    part.counts[item.entry].add(.violation)
                }
                record.level = finding.enforcementLevel
                place(finding, of: position, record: &record, into: output, part: &part)
            case .indeterminate(let reason), .error(let reason):
                let finding = makeFinding(
                    facts[item.entry], ref: rank >= 0 ? refs[rank] : nil,
                    resourceLocation: resourceFacts[item.resource]?.location, outcome: kind,
                    message: redactor.redact(reason), proposedFix: nil, location: nil, detailKey: nil)
                part.counts[item.entry].add(kind)
                record.reason = finding.message
                record.level = finding.enforcementLevel
                place(finding, of: position, record: &record, into: output, part: &part)
            }
            if recordEvaluations { (output.records! + Int(placement.reportPositions[position])).initialize(to: record) }
        }
        return part
    }

    /// Writes the finding of the outcome at `position` to its place, and names that place in its record.
    private func place(_ finding: Finding, of position: Int, record: inout Evaluation, into output: AssemblyOutput,
                       part: inout AssembledPart) {
        let place = placement.findings[position]
        // Placed by kind (`RawOutcome.kind`) before the workers started; a finding without a place would be written
        // outside the array.
        precondition(place >= 0, "an outcome that makes a finding has no place for it")
        record.finding = place
        (output.findings! + Int(place)).initialize(to: finding)
        part.findingsWritten += 1
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
