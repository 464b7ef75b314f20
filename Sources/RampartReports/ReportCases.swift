import RampartPolicy

/// One evaluated (policy, subject) pair with everything a per-case reporter needs, resolved from the report's
/// compact `evaluations` (or, when the engine kept none, from its findings alone).
struct ReportCase {
    /// Index into `report.stacks`, or `report.stacks.count + n` for the n-th stack only findings name.
    var stackIndex: Int
    var stackName: String
    var pack: String
    var policy: String
    /// nil for a stack-level subject.
    var subject: ResourceRef?
    var outcome: OutcomeKind
    var level: EnforcementLevel
    var severity: Severity
    var finding: Finding?
    /// Why the policy did not apply, or was indeterminate.
    var reason: String?

    var isExempted: Bool { finding?.exemption != nil }
    var isBaselined: Bool { finding?.baselined ?? false }
    var isMandatory: Bool { level == .mandatory || level == .remediate }

    /// Every evaluation of the report in its (deterministic) order.
    static func collect(_ report: ScanReport) -> [ReportCase] {
        var cases: [ReportCase] = []
        if !report.evaluations.isEmpty {
            cases.reserveCapacity(report.evaluations.count)
            for e in report.evaluations {
                let stack = report.stacks[Int(e.stack)]
                let pack = report.packs[Int(e.pack)]
                let policy = pack.policies[Int(e.policy)]
                let subject = e.resource >= 0 ? stack.resources[Int(e.resource)] : nil
                let finding = e.finding >= 0 ? report.findings[Int(e.finding)] : nil
                cases.append(ReportCase(stackIndex: Int(e.stack), stackName: stack.name, pack: pack.name,
                                        policy: policy.name, subject: subject, outcome: e.outcome, level: e.level,
                                        severity: finding?.severity ?? policy.severity, finding: finding, reason: e.reason))
            }
            return cases
        }
        // No evaluation records (the engine was told not to keep them): the findings are all there is.
        var orphanStacks: [String: Int] = [:]
        for f in report.findings {
            var index = report.stacks.firstIndex { $0.name == f.stack }
            if index == nil {
                index = orphanStacks[f.stack] ?? report.stacks.count + orphanStacks.count
                orphanStacks[f.stack] = index
            }
            cases.append(ReportCase(stackIndex: index!, stackName: f.stack, pack: f.pack, policy: f.policy,
                                    subject: f.resource, outcome: f.outcome, level: f.enforcementLevel,
                                    severity: f.severity, finding: f, reason: f.outcome == .violation ? nil : f.message))
        }
        return cases
    }
}

extension SourceLocation {
    /// `file:line:column`, leaving out what is not known.
    var display: String {
        file + (line.map { ":\($0)" } ?? "") + (line != nil ? (column.map { ":\($0)" } ?? "") : "")
    }
}

extension Finding {
    /// `pack/policy`, the rule id SARIF and annotations use.
    var ruleID: String { pack + "/" + policy }
}
