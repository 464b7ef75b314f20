import RampartModel
import RampartPolicy

/// What one stack's evaluation produced, with stack-local indexes. Holds no input bytes, so a scan of many stacks
/// keeps only these while each stack's graph is released.
public struct StackResult: Sendable {
    public var summary: StackSummary
    public var findings: [Finding]
    /// Evaluations with `stack` = 0, `pack`/`policy` = indexes in the engine's pack list, `finding` = index into
    /// `findings`.
    public var evaluations: [Evaluation]
    public var counts: [PolicyKey: OutcomeCounts]
    public var levels: [PolicyKey: EnforcementLevel]
    public var appliedExemptions: [ExemptionRecord]
    public var notices: [ReportNotice]
}

/// Turns raw outcomes into findings, counts and evaluation records for one stack.
struct ResultAssembler {
    let engine: Engine
    let plan: EvaluationPlan
    let stack: Stack

    /// Longest message kept in a report; longer ones are cut with a note.
    static let maxMessageLength = 2000

    func assemble(_ raw: [RawOutcome]) -> StackResult {
        let graph = stack.graph
        let stackName = stack.identity.description
        // Built on the first finding only: a stack with none never walks its secrets.
        lazy var stackRedactor = redactor()
        // Only resources some policy evaluated get a reference, in URN order; evaluations index into that list.
        let (urnRank, refs) = ResultAssembler.evaluatedResources(graph, raw)

        // Deterministic order: pack, policy, resource URN (stack-level first), then the policy's own order. Plan
        // entries are already sorted by (pack, policy), so one integer key per outcome sorts them without comparing
        // strings or moving outcomes around.
        let keys = raw.enumerated().map { offset, item -> (UInt64, Int) in
            let rank = item.resource < 0 ? 0 : UInt64(urnRank[item.resource]) + 1
            return (UInt64(item.entry) << 40 | rank, offset)
        }.sorted { $0 < $1 }
        let sorted = keys.map { raw[$0.1] }

        var findings: [Finding] = []
        var evaluations: [Evaluation] = []
        var counts: [PolicyKey: OutcomeCounts] = [:]
        var levels: [PolicyKey: EnforcementLevel] = [:]
        var applied: [ExemptionRecord] = []
        var tagNotices: [String: ReportNotice] = [:]
        for entry in plan.entries {
            counts[entry.key] = OutcomeCounts()
            levels[entry.key] = entry.level
        }
        let policyIndexes = policyIndexTable()
        let entryIndexes = plan.entries.map { policyIndexes[$0.key]! }
        var tagCache: [Int: TagExemption?] = [:]
        var redactedReasons: [String: String] = [:]

        for item in sorted {
            let entry = plan.entries[item.entry]
            let descriptor = entry.policy.descriptor
            // Passes and not-applicable outcomes (the vast majority) need no copy of the resource record.
            let needsResource = item.resource >= 0 && item.outcome.kind != .pass && item.outcome.kind != .notApplicable
            let resource: Resource? = needsResource ? graph.resources[item.resource] : nil
            let (packIdx, policyIdx) = entryIndexes[item.entry]
            var record = Evaluation(stack: 0, pack: Int32(packIdx), policy: Int32(policyIdx), resource: item.resource < 0 ? -1 : Int32(urnRank[item.resource]),
                                    outcome: item.outcome.kind, level: entry.level)
            switch item.outcome {
            case .pass:
                counts[entry.key]!.add(.pass)
            case .notApplicable(let reason):
                counts[entry.key]!.add(.notApplicable)
                // Reasons reach reports (JUnit `skipped`), so they are redacted like messages.
                // The same few reasons repeat over many resources: redact each distinct one once.
                if let cached = redactedReasons[reason] {
                    record.reason = cached
                } else {
                    let redacted = stackRedactor.redact(reason)
                    redactedReasons[reason] = redacted
                    record.reason = redacted
                }
            case .violation(let violation):
                let redactor = stackRedactor
                var finding = makeFinding(entry: entry, descriptor: descriptor, stackName: stackName,
                                          ref: item.resource >= 0 ? refs[urnRank[item.resource]] : nil, resource: resource,
                                          outcome: .violation, message: redactor.redact(violation.message),
                                          proposedFix: violation.proposedFix.map(redactor.redact),
                                          location: violation.location.map { redactor.redact($0) },
                                          detailKey: violation.detailKey.map(redactor.redact))
                if let rec = exemption(for: entry.key, resource: resource, stackName: stackName, notices: &tagNotices,
                                            tag: { resource.flatMap { r in tagCache.cached(item.resource) { TagExemption.declared(by: r) } } }) {
                    finding.exemption = rec
                    applied.append(rec)
                    counts[entry.key]!.exempted += 1
                    record.exempted = true
                } else {
                    counts[entry.key]!.add(.violation)
                }
                record.level = finding.enforcementLevel
                record.finding = Int32(findings.count)
                findings.append(finding)
            case .indeterminate(let reason), .error(let reason):
                let redactor = stackRedactor
                let finding = makeFinding(entry: entry, descriptor: descriptor, stackName: stackName,
                                          ref: item.resource >= 0 ? refs[urnRank[item.resource]] : nil, resource: resource,
                                          outcome: item.outcome.kind, message: redactor.redact(reason), proposedFix: nil,
                                          location: nil, detailKey: nil)
                counts[entry.key]!.add(item.outcome.kind)
                record.reason = finding.message
                record.level = finding.enforcementLevel
                record.finding = Int32(findings.count)
                findings.append(finding)
            }
            if engine.options.recordEvaluations { evaluations.append(record) }
        }
        let summary = StackSummary(name: stackName, source: stack.source, kind: stack.kind.rawValue,
                                   resourceCount: graph.count, resources: refs)
        var notices = stack.notices.map { ReportNotice(source: stack.source, message: "\($0.path): \($0.message)") }
            + tagNotices.keys.sorted().map { tagNotices[$0]! }
        if !notices.isEmpty {
            let redactor = stackRedactor
            for i in notices.indices { notices[i].message = redactor.redact(notices[i].message) }
        }
        return StackResult(summary: summary, findings: findings, evaluations: evaluations, counts: counts, levels: levels,
                           appliedExemptions: applied, notices: notices)
    }

    /// The resources that appear in `raw`, sorted by URN, with each graph index's position in that order (-1 for
    /// resources no policy looked at). Sorting and naming only these keeps the cost proportional to the work done.
    static func evaluatedResources(_ graph: ResourceGraph, _ raw: [RawOutcome]) -> (rank: [Int], refs: [ResourceRef]) {
        var used = [Bool](repeating: false, count: graph.count)
        for item in raw where item.resource >= 0 { used[item.resource] = true }
        let urns = graph.resources.indices.map { used[$0] ? graph.resources[$0].urn.rawValue : "" }
        let order = graph.resources.indices.filter { used[$0] }.sorted { urns[$0] < urns[$1] }
        var rank = [Int](repeating: -1, count: graph.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        let refs = order.map { index in
            let resource = graph.resources[index]
            return ResourceRef(urn: urns[index], type: resource.type, name: resource.name)
        }
        return (rank, refs)
    }

    private func policyIndexTable() -> [PolicyKey: (Int, Int)] {
        var table: [PolicyKey: (Int, Int)] = [:]
        for (p, pack) in engine.packs.enumerated() {
            for (i, policy) in pack.policies.enumerated() { table[PolicyKey(pack: pack.name, policy: policy.descriptor.name)] = (p, i) }
        }
        return table
    }

    /// Every secret of the stack (a policy may quote any resource it joined), kept in the graph's cache so a stack
    /// evaluated twice (scan and audit, several engines) walks its secrets once.
    private func redactor() -> SecretRedactor {
        stack.graph.cache.value("secret-redactor") { SecretRedactor(stack: stack) }
    }

    private func makeFinding(entry: EvaluationPlan.Entry, descriptor: PolicyDescriptor, stackName: String, ref: ResourceRef?,
                             resource: Resource?, outcome: OutcomeKind, message: String, proposedFix: String?,
                             location: SourceLocation?, detailKey: String?) -> Finding {
        var level = entry.level
        if level == .remediate && proposedFix == nil { level = .mandatory }
        var text = message
        if text.count > ResultAssembler.maxMessageLength {
            text = String(text.prefix(ResultAssembler.maxMessageLength)) + "… (message cut at \(ResultAssembler.maxMessageLength) characters)"
        }
        var where_ = location
        if where_ == nil, let position = resource?.sourcePosition {
            where_ = SourceLocation(file: position.path, line: position.line, column: position.column)
        }
        return Finding(stack: stackName, resource: ref, pack: entry.key.pack, policy: entry.key.policy,
                       enforcementLevel: level, severity: descriptor.severity, outcome: outcome, message: text,
                       remediation: descriptor.remediation, proposedFix: proposedFix, location: where_, detailKey: detailKey,
                       fingerprint: Fingerprint.of(stack: stackName, pack: entry.key.pack, policy: entry.key.policy,
                                                   urn: ref?.urn, detail: detailKey ?? location.map { "\($0.file)" }))
    }

    /// The exemption that waives a violation: a configured one (not expired), else a `rampart:exempt` tag on the
    /// resource that names the policy and gives a reason. A tag without a reason waives nothing and is noted.
    private func exemption(for key: PolicyKey, resource: Resource?, stackName: String,
                           notices: inout [String: ReportNotice], tag declaredTag: () -> TagExemption?) -> ExemptionRecord? {
        if let configured = engine.exemptions.first(where: {
            !$0.isExpired(today: engine.options.today)
                && $0.matches(pack: key.pack, policy: key.policy, stack: stack.identity, resource: resource)
        }) {
            return exemptionRecord(configured, urn: resource?.urn.rawValue, stackName: stackName)
        }
        guard let resource, let tag = declaredTag(), tag.covers(pack: key.pack, policy: key.policy) else {
            return nil
        }
        guard let reason = tag.reason else {
            notices[resource.urn.rawValue] = ReportNotice(
                source: stack.source,
                message: "\(resource.urn.rawValue): tag \(TagExemption.key) ignored: it needs a \(TagExemption.reasonKey) tag giving the reason")
            return nil
        }
        return ExemptionRecord(policy: "\(key.pack)/\(key.policy)", urn: resource.urn.rawValue, stack: stackName, reason: reason,
                               source: "tag \(TagExemption.key) on \(resource.name)")
    }

    private func exemptionRecord(_ exemption: Exemption, urn: String?, stackName: String) -> ExemptionRecord {
        ExemptionRecord(policy: exemption.policy, urn: urn, stack: stackName, reason: exemption.reason,
                        expires: exemption.expires, expired: false, source: exemption.source)
    }
}

extension SecretRedactor {
    /// A policy-given location with secrets removed from its file name (it is printed by every report).
    func redact(_ location: SourceLocation) -> SourceLocation {
        SourceLocation(file: redact(location.file), line: location.line, column: location.column)
    }
}

/// Stable finding ids: FNV-1a over (stack, pack, policy, URN, detail), two 64-bit lanes, hex.
public enum Fingerprint {
    public static func of(stack: String, pack: String, policy: String, urn: String?, detail: String?) -> String {
        // The parts joined by U+001F, hashed as one byte stream without building the joined string.
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
        func feed(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 0x9e3779b97f4a7c15
        }
        for (i, part) in [stack, pack, policy, urn ?? "", detail ?? ""].enumerated() {
            if i > 0 { feed(0x1F) }
            for byte in part.utf8 { feed(byte) }
        }
        return hex(a) + hex(b)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension Dictionary {
    /// The value for `key`, computing and storing it on first use.
    mutating func cached<T>(_ key: Key, _ compute: () -> T?) -> T? where Value == T? {
        if let hit = self[key] { return hit }
        let value = compute()
        self[key] = .some(value)
        return value
    }
}
