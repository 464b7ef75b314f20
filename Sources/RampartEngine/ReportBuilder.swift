import RampartModel
import RampartPolicy

/// Merges per-stack results into the one report value.
struct ReportBuilder {
    let engine: Engine

    /// Takes the results: their findings and evaluations become the report's, renumbered in place where no other
    /// copy of the results is kept. (A copy of a dense 100k scan's evaluations is 36 MB, made a record at a time on
    /// one thread before any report is written; and a findings array shared with the results is copied whole when
    /// the baseline marks a finding.)
    func build(_ results: consuming [StackResult], inputs: [String], tool: ToolInfo, timestamp: String,
               notices: [ReportNotice]) -> ScanReport {
        var results = results
        var takenFindings: [[Finding]] = [], takenEvaluations: [[Evaluation]] = []
        for i in results.indices {
            takenFindings.append([])
            swap(&takenFindings[i], &results[i].findings)
            takenEvaluations.append([])
            swap(&takenEvaluations[i], &results[i].evaluations)
        }
        let order = results.indices.sorted { a, b in
            (results[a].summary.name, results[a].summary.source, a) < (results[b].summary.name, results[b].summary.source, b)
        }
        let ordered = order.map { results[$0] }

        var packs: [PackSummary] = []
        // Evaluations index policies by their place in the engine's pack; the report leaves out policies disabled
        // everywhere, so indexes are renumbered to point into `PackSummary.policies`.
        var policyIndexes: [[Int32]] = []
        for pack in engine.packs {
            // Run packs come last and are summarised by `HygienePhase`, only when they find something.
            if pack.isRunPack {
                policyIndexes.append(Array(repeating: -1, count: pack.policies.count))
                continue
            }
            var policies: [PolicySummary] = []
            var indexes: [Int32] = []
            for policy in pack.policies {
                indexes.append(-1)
                let d = policy.descriptor
                let key = PolicyKey(pack: pack.name, policy: d.name)
                var counts = OutcomeCounts()
                var strictest: EnforcementLevel?
                for result in ordered {
                    if let c = result.counts[key] { counts.add(c) }
                    if let level = result.levels[key] { strictest = ReportBuilder.stricter(strictest, level) }
                }
                // A policy disabled for every stack is not reported; with no stacks, show its configured default.
                let level = strictest ?? (ordered.isEmpty ? (d.enforcementLevel ?? pack.enforcementLevel) : .disabled)
                if level == .disabled { continue }
                indexes[indexes.count - 1] = Int32(policies.count)
                policies.append(PolicySummary(name: d.name, description: d.description, enforcementLevel: level,
                                              severity: d.severity, remediation: d.remediation, frameworks: d.frameworks,
                                              counts: counts, rationale: d.rationale, equivalents: d.equivalents))
            }
            packs.append(PackSummary(name: pack.name, version: pack.version, description: pack.description, policies: policies))
            policyIndexes.append(indexes)
        }

        var findings: [Finding] = []
        var evaluations: [Evaluation] = []
        // Packs none of whose policies was left out: their evaluations keep their policy indexes.
        let keepsIndexes = policyIndexes.map { indexes in indexes.enumerated().allSatisfy { Int($0.element) == $0.offset } }
        var exemptionRecords: [ExemptionRecord] = []
        var allNotices = notices
        let evaluationCount = takenEvaluations.reduce(0) { $0 + $1.count }
        for (stackIndex, result) in ordered.enumerated() {
            let offset = Int32(findings.count)
            // The first stack's findings and evaluations are taken, not copied (most scans are one stack); the
            // evaluations renumbered in place, and only where renumbering changes them.
            var stackFindings: [Finding] = [], stackEvaluations: [Evaluation] = []
            swap(&stackFindings, &takenFindings[order[stackIndex]])
            swap(&stackEvaluations, &takenEvaluations[order[stackIndex]])
            if findings.isEmpty { findings = stackFindings } else { findings.append(contentsOf: stackFindings) }
            let unchanged = offset == 0
                && !stackEvaluations.contains { $0.stack != Int32(stackIndex) || !keepsIndexes[Int($0.pack)] }
            if !unchanged {
                for k in stackEvaluations.indices {
                    stackEvaluations[k].stack = Int32(stackIndex)
                    stackEvaluations[k].policy = policyIndexes[Int(stackEvaluations[k].pack)][Int(stackEvaluations[k].policy)]
                    if stackEvaluations[k].finding >= 0 { stackEvaluations[k].finding += offset }
                }
            }
            if evaluations.isEmpty {
                evaluations = stackEvaluations
                if ordered.count > 1 { evaluations.reserveCapacity(evaluationCount) }
            } else {
                evaluations.append(contentsOf: stackEvaluations)
            }
            exemptionRecords.append(contentsOf: result.appliedExemptions)
            allNotices.append(contentsOf: result.notices)
        }
        for exemption in engine.exemptions where exemption.isExpired(today: engine.options.today) {
            exemptionRecords.append(ExemptionRecord(policy: exemption.policy, urn: exemption.resources.first,
                                                    stack: exemption.stacks.first, reason: exemption.reason,
                                                    expires: exemption.expires, expired: true, source: exemption.source))
        }
        exemptionRecords.sort { ($0.expired ? 1 : 0, $0.policy, $0.stack ?? "", $0.urn ?? "") < ($1.expired ? 1 : 0, $1.policy, $1.stack ?? "", $1.urn ?? "") }

        // The verdict is decided by `Engine.report` once every phase has run.
        return ScanReport(tool: tool, inputs: inputs, stacks: ordered.map(\.summary), packs: packs, findings: findings,
                          evaluations: evaluations, exemptions: exemptionRecords, notices: allNotices,
                          verdict: Verdict(failed: false, failOn: engine.options.failOn), timestamp: timestamp)
    }

    static func rank(_ level: EnforcementLevel) -> Int {
        switch level {
        case .disabled: return 0
        case .advisory: return 1
        case .remediate: return 2
        case .mandatory: return 3
        }
    }

    static func stricter(_ a: EnforcementLevel?, _ b: EnforcementLevel) -> EnforcementLevel {
        guard let a else { return b }
        return rank(a) >= rank(b) ? a : b
    }

    /// Whether a finding fails the run. Violations fail at or above the threshold; a policy error fails a
    /// mandatory gate too (fail closed: a broken mandatory policy must not let a change through). Indeterminate
    /// outcomes never fail. Exempted and baselined findings never fail.
    static func fails(_ finding: Finding, failOn: FailOn) -> Bool {
        guard finding.isActive else { return false }
        switch failOn {
        case .none: return false
        case .mandatory:
            return (finding.outcome == .violation || finding.outcome == .error) && finding.enforcementLevel == .mandatory
        case .advisory:
            return finding.outcome == .violation || (finding.outcome == .error && finding.enforcementLevel == .mandatory)
        }
    }
}
