import RampartModel
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
}

/// Every evaluation of the report in its (deterministic) order, as cases built on access: a large scan has
/// millions of evaluations, and a stored `ReportCase` (with its finding) for each would take hundreds of megabytes.
struct ReportCases: RandomAccessCollection {
    let report: ScanReport
    /// Without evaluation records (the engine was told not to keep them) the findings are all there is: each
    /// finding's stack index (`report.stacks.count + n` for the n-th stack only findings name).
    private let findingStacks: [Int]
    private let byFindings: Bool
    /// Where each stack's subject slots start (its stack-level subject, then its resources), and the total last.
    private let subjectSlotStarts: [Int]
    /// Each stack's evaluated resources, so a case's subject is found without copying its stack's summary.
    private let stackResources: [[ResourceRef]]

    init(_ report: ScanReport) {
        self.report = report
        byFindings = report.evaluations.isEmpty
        var starts = [0]
        for stack in report.stacks { starts.append(starts[starts.count - 1] + stack.resources.count + 1) }
        subjectSlotStarts = starts
        stackResources = report.stacks.map(\.resources)
        guard byFindings else {
            findingStacks = []
            return
        }
        let known = Dictionary(report.stacks.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var orphans: [String: Int] = [:]
        findingStacks = report.findings.map { f in
            if let index = known[f.stack] ?? orphans[f.stack] { return index }
            let index = report.stacks.count + orphans.count
            orphans[f.stack] = index
            return index
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { byFindings ? report.findings.count : report.evaluations.count }

    subscript(i: Int) -> ReportCase {
        if byFindings {
            let f = report.findings[i]
            return ReportCase(stackIndex: findingStacks[i], stackName: f.stack, pack: f.pack, policy: f.policy,
                              subject: f.resource, outcome: f.outcome, level: f.enforcementLevel,
                              severity: f.severity, finding: f, reason: f.outcome == .violation ? nil : f.message)
        }
        let e = report.evaluations[i]
        let stack = report.stacks[Int(e.stack)]
        let pack = report.packs[Int(e.pack)]
        let policy = pack.policies[Int(e.policy)]
        let subject = e.resource >= 0 ? stack.resources[Int(e.resource)] : nil
        let finding = e.finding >= 0 ? report.findings[Int(e.finding)] : nil
        return ReportCase(stackIndex: Int(e.stack), stackName: stack.name, pack: pack.name,
                          policy: policy.name, subject: subject, outcome: e.outcome, level: e.level,
                          severity: finding?.severity ?? policy.severity, finding: finding, reason: e.reason)
    }

    /// The case's outcome, without building the case.
    func outcome(_ i: Int) -> OutcomeKind {
        byFindings ? report.findings[i].outcome : report.evaluations[i].outcome
    }

    /// The case's stack index and pack name (what places it in a JUnit suite), without building the case.
    func suiteKey(_ i: Int) -> (stack: Int, pack: String) {
        if byFindings { return (findingStacks[i], report.findings[i].pack) }
        let e = report.evaluations[i]
        return (Int(e.stack), report.packs[Int(e.pack)].name)
    }

    /// The case's subject (nil for the stack itself), without building the case.
    func subject(_ i: Int) -> ResourceRef? {
        if byFindings { return report.findings[i].resource }
        let e = report.evaluations[i]
        return e.resource >= 0 ? stackResources[Int(e.stack)][Int(e.resource)] : nil
    }

    /// The case's stack name.
    func stackName(_ i: Int) -> String {
        byFindings ? report.findings[i].stack : report.stacks[Int(report.evaluations[i].stack)].name
    }

    /// A number standing for the case's (pack, policy) pair, nil when only the names say (findings-only reports).
    func policyKey(_ i: Int) -> Int? {
        guard !byFindings else { return nil }
        let e = report.evaluations[i]
        return Int(e.pack) << 32 | Int(e.policy)
    }

    /// A number standing for the case's subject (a resource, or the stack itself), nil when only the names say:
    /// below `subjectSlotCount`, so a table of subjects can be an array.
    func subjectSlot(_ i: Int) -> Int? {
        guard !byFindings else { return nil }
        let e = report.evaluations[i]
        return subjectSlotStarts[Int(e.stack)] + Int(e.resource + 1)
    }

    /// One more than the largest `subjectSlot`.
    var subjectSlotCount: Int { subjectSlotStarts.last ?? 0 }
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
