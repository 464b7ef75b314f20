import RampartModel
import RampartPolicy

/// The default human-readable report, shaped for a terminal whatever the size of the scan: the verdict and one
/// line per stack (the worst few when there are many) first, then mandatory and advisory violations grouped by
/// resource and capped, checks the inputs could not evaluate as one line naming what would, and the per-pack,
/// per-policy table only when `options.verbose` is set. Everything else is in the JSON, SARIF and JUnit reports.
public struct TextReporter: Reporter {
    public static let format = "text"
    public var options: ReportOptions
    /// Stacks listed in the summary before "… N more stacks".
    public var stackLimit: Int
    /// Findings listed in each section before "… and N more".
    public var findingLimit: Int

    public init(options: ReportOptions = ReportOptions(), stackLimit: Int = 10, findingLimit: Int = 20) {
        self.options = options
        self.stackLimit = max(1, stackLimit)
        self.findingLimit = max(1, findingLimit)
    }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Writes the report to `output`, in chunks as the text grows (capped sections keep it to a few screens; the
    /// verbose table can be long).
    public func write(_ report: ScanReport, to output: ReportOutput) {
        var text = TextSink(output: output)
        let tally = StackTally(report)
        let sections = FindingSections(report)
        header(report, tally, into: &text)
        inputFailures(report, into: &text)
        stacks(report, tally, into: &text)
        list("Mandatory violations", sections.mandatory, of: report.findings, color: "31;1", into: &text)
        list("Advisory violations", sections.advisory, of: report.findings, color: "33;1", into: &text)
        list("Policy errors", sections.errors, of: report.findings, color: "31", into: &text)
        list("Undetermined", sections.undetermined, of: report.findings, color: "36", into: &text)
        notEvaluated(sections.notEvaluable, stacks: report.stacks.count, into: &text)
        if options.verbose {
            list("Exempted or in the baseline (not counted)", sections.inactive, of: report.findings, color: "2", into: &text)
            policyTable(report, into: &text)
        }
        housekeeping(report, into: &text)
        text.line()
        text.line(verdictLine(report, tally))
        text.flush()
    }

    // MARK: - Summary

    private func verdictLine(_ report: ScanReport, _ tally: StackTally) -> String {
        let word = report.verdict.word
        let verdict = paint(word.uppercased(), word == "passed" ? "32;1" : word == "failed" ? "31;1" : "33;1")
        return "\(verdict) (fail-on \(report.verdict.failOn.rawValue)): \(tally.total.mandatory) mandatory, "
            + "\(tally.total.advisory) advisory violation\(tally.total.advisory == 1 ? "" : "s") in "
            + "\(plural(report.stacks.count, "stack")), \(plural(tally.resources, "resource"))"
    }

    private func header(_ report: ScanReport, _ tally: StackTally, into text: inout TextSink) {
        text.line("\(report.tool.name) \(report.tool.version) · " + verdictLine(report, tally))
        var extra: [String] = []
        if tally.total.errors > 0 { extra.append(plural(tally.total.errors, "policy error")) }
        if tally.total.exempted > 0 { extra.append("\(tally.total.exempted) exempted") }
        if tally.total.baselined > 0 { extra.append("\(tally.total.baselined) in the baseline") }
        if !extra.isEmpty { text.line("  also: " + extra.joined(separator: ", ")) }
    }

    /// Inputs that could not be read, each with its located error: the rest of the report is about the others.
    private func inputFailures(_ report: ScanReport, into text: inout TextSink) {
        guard !report.inputFailures.isEmpty else { return }
        text.line()
        for failure in report.inputFailures.prefix(findingLimit) { text.line(paint("error: not read:", "31;1") + " \(failure.message)") }
        if report.inputFailures.count > findingLimit {
            text.line("error: … and \(report.inputFailures.count - findingLimit) more inputs not read (use --report json=FILE for all)")
        }
    }

    private func stacks(_ report: ScanReport, _ tally: StackTally, into text: inout TextSink) {
        guard !report.stacks.isEmpty else { return }
        text.line()
        let many = report.stacks.count > stackLimit
        text.line(paint(many ? "Stacks (the \(stackLimit) worst of \(report.stacks.count))" : "Stacks", "1"))
        let order = report.stacks.indices.sorted { tally.isWorse($0, than: $1, report) }
        let shown = order.prefix(stackLimit)
        let width = shown.map { report.stacks[$0].name.count }.max() ?? 0
        for index in shown {
            let stack = report.stacks[index]
            let counts = tally.stacks[index]
            let name = stack.name + String(repeating: " ", count: width - stack.name.count)
            text.line("  \(name)  \(counts.describe(paint: paint)) · \(plural(stack.resourceCount, "resource")) · \(stack.kind) \(stack.source)")
        }
        if many {
            let rest = order.dropFirst(stackLimit)
            let clean = rest.filter { tally.stacks[$0].isClean }.count
            text.line("  … \(plural(rest.count, "more stack")) (\(clean) without violations; use --report json=FILE for all)")
        }
    }

    // MARK: - Findings

    private func list(_ title: String, _ groups: [FindingGroup], of findings: [Finding], color: String, into text: inout TextSink) {
        let total = groups.reduce(0) { $0 + $1.findings.count }
        guard total > 0 else { return }
        text.line()
        text.line(paint("\(title) (\(total))", color))
        var listed = 0
        for group in groups {
            if listed == findingLimit { break }
            let shared = group.sharedLocation(in: findings)
            var heading = "  \(group.stack)"
            if let resource = group.resource { heading += " · \(resource.type) \(resource.name)" } else { heading += " (stack)" }
            if let shared { heading += " · " + shared.description }
            text.line(heading)
            for index in group.findings {
                let finding = findings[index]
                if listed == findingLimit { break }
                listed += 1
                let severity = finding.severity.rawValue.padded(to: 8)
                text.line("    \(paint(severity, Self.severityColor(finding.severity)))\(finding.pack)/\(finding.policy): \(finding.message)")
                if shared == nil, let location = finding.location { text.line("      at " + location.description) }
                if let fix = finding.proposedFix { text.line("      proposed fix: \(fix)") }
                if let exemption = finding.exemption { text.line("      exempted: \(exemption.reason)") }
                if finding.baselined { text.line("      (in the baseline)") }
            }
        }
        if total > listed {
            text.line("  … and \(total - listed) more (use --report json=FILE or sarif=FILE for all)")
        }
    }

    /// Checks the given inputs cannot evaluate, as one line naming what would evaluate them; reasons that fit no
    /// known kind of evidence follow, one line per reason.
    private func notEvaluated(_ groups: [NotEvaluableGroup], stacks: Int, into text: inout TextSink) {
        guard !groups.isEmpty else { return }
        let title = paint("Not evaluated" + (stacks > 1 ? " over \(plural(stacks, "stack"))" : "") + ":", "1")
        let known = groups.filter { $0.evidence != .other }
        text.line()
        if !known.isEmpty {
            let needs = known.enumerated().map { i, group in
                (i == 0 ? plural(group.count, "check") : "\(group.count)") + (group.count == 1 ? " needs " : " need ") + group.evidence.label
            }
            text.line(title + " " + needs.joined(separator: " and ") + ": see `rampart audit`")
        }
        let others = groups.filter { $0.evidence == .other }
        for group in others.prefix(5) {
            text.line(title + " \(plural(group.count, "check")): \(group.reason)")
        }
        if others.count > 5 {
            let rest = others.dropFirst(5).reduce(0) { $0 + $1.count }
            text.line("  … and \(plural(rest, "more check")) for other reasons (use --report json=FILE for all)")
        }
    }

    // MARK: - Verbose table and the rest

    private func policyTable(_ report: ScanReport, into text: inout TextSink) {
        guard !report.packs.isEmpty else { return }
        text.line()
        text.line(paint("Policies", "1"))
        for pack in report.packs {
            // Policies that met no resource would bury the ones that did; they are counted, not listed.
            let applied = pack.policies.filter { $0.counts.total > 0 }
            let idle = pack.policies.count - applied.count
            text.line("  \(pack.name) \(pack.version)" + (idle > 0 ? " (\(idle) of \(pack.policies.count) policies applied to nothing)" : ""))
            for policy in applied {
                let c = policy.counts
                var line = "    \(policy.name) (\(policy.enforcementLevel.rawValue), \(policy.severity.rawValue)): \(c.pass) passed, \(c.violation) violated"
                if c.notApplicable > 0 { line += ", \(c.notApplicable) not applicable" }
                if c.indeterminate > 0 { line += ", \(c.indeterminate) indeterminate" }
                if c.error > 0 { line += ", \(c.error) errors" }
                if c.exempted > 0 { line += ", \(c.exempted) exempted" }
                text.line(line)
            }
        }
    }

    private func housekeeping(_ report: ScanReport, into text: inout TextSink) {
        let expired = report.exemptions.filter(\.expired)
        if !expired.isEmpty {
            text.line()
            text.line("Expired exemptions (no longer applied):")
            for exemption in expired.prefix(findingLimit) {
                text.line("  \(exemption.policy) expired \(exemption.expires ?? "?"): \(exemption.reason)")
            }
            if expired.count > findingLimit { text.line("  … and \(expired.count - findingLimit) more") }
        }
        if let baseline = report.baseline {
            text.line()
            text.line("Baseline \(baseline.file): \(baseline.known) known, \(baseline.new) new, \(baseline.resolved.count) resolved")
            for entry in baseline.resolved.prefix(findingLimit) {
                text.line("  resolved: \(entry.pack)/\(entry.policy) \(entry.urn ?? entry.stack)")
            }
            if baseline.resolved.count > findingLimit { text.line("  … and \(baseline.resolved.count - findingLimit) more") }
        }
        if !report.notices.isEmpty { text.line() }
        for notice in report.notices.prefix(findingLimit) { text.line("note: \(notice.source): \(notice.message)") }
        if report.notices.count > findingLimit {
            text.line("note: … and \(report.notices.count - findingLimit) more notes (use --report json=FILE for all)")
        }
    }

    // MARK: - Helpers

    private func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func severityColor(_ severity: Severity) -> String {
        switch severity {
        case .critical: return "31;1"
        case .high: return "31"
        case .medium: return "33"
        case .low: return "2"
        }
    }
}

/// "1 stack", "3 stacks".
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

extension String {
    func padded(to width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

/// Text handed to the output in chunks.
struct TextSink {
    let output: ReportOutput
    var buffer = ""

    mutating func line(_ text: String = "") {
        buffer += text
        buffer += "\n"
        if buffer.utf8.count >= output.chunkSize { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        output.append(Array(buffer.utf8))
        buffer = ""
    }
}

/// Active violations, errors and the rest counted per stack, in one pass over the findings.
struct StackTally {
    struct Counts {
        var mandatory = 0
        var advisory = 0
        var errors = 0
        var exempted = 0
        var baselined = 0
        var bySeverity = SeverityCounts()

        var isClean: Bool { mandatory == 0 && advisory == 0 && errors == 0 }
        var worst: Severity? { Severity.allCases.last { bySeverity[$0] > 0 } }

        func describe(paint: (String, String) -> String) -> String {
            if isClean { return "no violations" }
            var parts = ["\(mandatory) mandatory", "\(advisory) advisory"]
            if errors > 0 { parts.append(plural(errors, "error")) }
            let severities = Severity.allCases.reversed().compactMap { severity -> String? in
                let n = bySeverity[severity]
                guard n > 0 else { return nil }
                return paint("\(n) \(severity.rawValue)", TextReporter.severityColor(severity))
            }
            return parts.joined(separator: ", ") + (severities.isEmpty ? "" : " (" + severities.joined(separator: ", ") + ")")
        }
    }

    var stacks: [Counts]
    var total = Counts()
    var resources: Int

    init(_ report: ScanReport) {
        stacks = Array(repeating: Counts(), count: report.stacks.count)
        resources = report.stacks.reduce(0) { $0 + $1.resourceCount }
        var index: [String: Int] = [:]
        for (i, stack) in report.stacks.enumerated() { index[stack.name] = i }
        var indexOf = LastLookup<String, Int?>()
        for finding in report.findings {
            let kind: Counts.Kind
            if finding.exemption != nil {
                kind = .exempted
            } else if finding.baselined {
                kind = .baselined
            } else if finding.outcome == .violation {
                kind = finding.enforcementLevel == .mandatory ? .mandatory : .advisory
            } else if finding.outcome == .error {
                kind = .error
            } else {
                continue
            }
            total.count(kind, finding.severity)
            if let i = indexOf.value(finding.stack, { index[$0] }) { stacks[i].count(kind, finding.severity) }
        }
    }

    /// Mandatory violations first, then errors, the worst severity, advisory violations, then the name.
    func isWorse(_ a: Int, than b: Int, _ report: ScanReport) -> Bool {
        let x = stacks[a], y = stacks[b]
        if x.mandatory != y.mandatory { return x.mandatory > y.mandatory }
        if x.errors != y.errors { return x.errors > y.errors }
        if x.worst != y.worst, let worse = x.worst { return y.worst.map { worse > $0 } ?? true }
        if x.worst != y.worst { return false }
        if x.advisory != y.advisory { return x.advisory > y.advisory }
        return report.stacks[a].name < report.stacks[b].name
    }
}

extension StackTally.Counts {
    /// What a finding counts as.
    enum Kind {
        case mandatory, advisory, error, exempted, baselined
    }

    /// Counts one finding of `kind`; a violation's severity too.
    mutating func count(_ kind: Kind, _ severity: Severity) {
        switch kind {
        case .mandatory: mandatory += 1
        case .advisory: advisory += 1
        case .error: errors += 1
        case .exempted: exempted += 1
        case .baselined: baselined += 1
        }
        if kind == .mandatory || kind == .advisory { bySeverity[severity] += 1 }
    }
}

/// One resource's (or one stack's own) findings in a section, most severe first: indexes into the report's
/// findings (a backend scan has hundreds of thousands; copies of them would double the report's memory).
struct FindingGroup {
    var stack: String
    var resource: ResourceRef?
    var findings: [Int]

    /// The location every finding of the group shares, shown once in the heading.
    func sharedLocation(in all: [Finding]) -> SourceLocation? {
        guard let first = findings.first.flatMap({ all[$0].location }), resource != nil else { return nil }
        return findings.allSatisfy { all[$0].location == first } ? first : nil
    }
}

/// The kind of evidence a not-evaluable check is missing, read from the reason its finding carries
/// ("not evaluable: no organisation snapshot given (--org)").
enum MissingEvidence: Int, Comparable {
    case organisationSnapshot, projectFiles, other

    static func < (a: MissingEvidence, b: MissingEvidence) -> Bool { a.rawValue < b.rawValue }

    static let prefix = "not evaluable: "

    init(reason: String) {
        // The wording of RampartBuiltins' evidence checks; a snapshot that was given but lacks a part is "other",
        // since the reason then says what to add.
        if reason.hasPrefix("no organisation snapshot") || reason.contains("(--org)") {
            self = .organisationSnapshot
        } else if reason.hasPrefix("no Pulumi.") || reason.hasPrefix("no CI workflows") || reason.hasPrefix("no stack file") {
            self = .projectFiles
        } else {
            self = .other
        }
    }

    var label: String {
        switch self {
        case .organisationSnapshot: return "an organisation snapshot (--org)"
        case .projectFiles: return "project files (Pulumi.yaml, stack config, CI workflows)"
        case .other: return "other evidence"
        }
    }
}

struct NotEvaluableGroup {
    var evidence: MissingEvidence
    /// The reason as the findings give it (for `.other`), without the "not evaluable: " prefix.
    var reason: String
    var count: Int
}

/// The report's findings sorted into the text report's sections.
struct FindingSections {
    var mandatory: [FindingGroup] = []
    var advisory: [FindingGroup] = []
    var errors: [FindingGroup] = []
    var undetermined: [FindingGroup] = []
    var inactive: [FindingGroup] = []
    var notEvaluable: [NotEvaluableGroup] = []

    init(_ report: ScanReport) {
        var mandatory: [Int] = [], advisory: [Int] = [], errors: [Int] = []
        var undetermined: [Int] = [], inactive: [Int] = []
        var missing: [MissingEvidence: Int] = [:]
        var otherReasons: [String: Int] = [:]
        for (index, finding) in report.findings.enumerated() {
            if !finding.isActive {
                inactive.append(index)
                continue
            }
            switch finding.outcome {
            case .violation:
                if finding.enforcementLevel == .mandatory { mandatory.append(index) } else { advisory.append(index) }
            case .error:
                errors.append(index)
            case .indeterminate where finding.resource == nil && finding.message.hasPrefix(MissingEvidence.prefix):
                let reason = String(finding.message.dropFirst(MissingEvidence.prefix.count))
                let evidence = MissingEvidence(reason: reason)
                if evidence == .other { otherReasons[reason, default: 0] += 1 } else { missing[evidence, default: 0] += 1 }
            case .indeterminate:
                undetermined.append(index)
            case .pass, .notApplicable:
                continue
            }
        }
        self.mandatory = Self.group(mandatory, of: report.findings)
        self.advisory = Self.group(advisory, of: report.findings)
        self.errors = Self.group(errors, of: report.findings)
        self.undetermined = Self.group(undetermined, of: report.findings)
        self.inactive = Self.group(inactive, of: report.findings)
        notEvaluable = missing.keys.sorted().map { NotEvaluableGroup(evidence: $0, reason: $0.label, count: missing[$0]!) }
            + otherReasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { NotEvaluableGroup(evidence: .other, reason: $0.key, count: $0.value) }
    }

    /// Findings grouped by (stack, resource); groups with the most severe findings first, then by stack and URN.
    ///
    /// The groups are ordered by keys read once per group: the comparison used to copy two groups (their stack,
    /// resource and finding list) each time.
    static func group(_ indexes: [Int], of findings: [Finding]) -> [FindingGroup] {
        /// Hashed by the URN alone (which names the stack too) where there is one: hashing both strings cost as much
        /// again, and keys that differ only by stack still compare unequal.
        struct Key: Hashable {
            var stack: String
            var urn: String?

            func hash(into hasher: inout Hasher) {
                if let urn { hasher.combine(urn) } else { hasher.combine(stack) }
            }
        }
        var result: [FindingGroup] = []
        var keys: [Key] = []
        var position: [Key: Int] = [:]
        // A resource has a few findings in a section; room for a quarter of them saves most of the table's regrowth.
        position.reserveCapacity(indexes.count / 4)
        for index in indexes {
            let finding = findings[index]
            let key = finding.withResource { Key(stack: finding.stack, urn: $0?.urn) }
            let group: Int
            if let known = position[key] {
                group = known
            } else {
                group = result.count
                position[key] = group
                keys.append(key)
                result.append(FindingGroup(stack: key.stack, resource: finding.resource, findings: []))
            }
            result[group].findings.append(index)
        }
        var worst: [Severity] = []
        worst.reserveCapacity(result.count)
        for i in result.indices {
            result[i].findings.sort {
                let x = findings[$0], y = findings[$1]
                // Cheapest first: the fingerprint is written out as text only for findings that tie on the rest.
                if x.severity != y.severity { return x.severity > y.severity }
                if x.pack != y.pack { return x.pack < y.pack }
                if x.policy != y.policy { return x.policy < y.policy }
                let detailX = x.detailKey ?? "", detailY = y.detailKey ?? ""
                if detailX != detailY { return detailX < detailY }
                return x.fingerprint < y.fingerprint
            }
            worst.append(findings[result[i].findings[0]].severity)
        }
        let order = result.indices.sorted { a, b in
            if worst[a] != worst[b] { return worst[a] > worst[b] }
            if keys[a].stack != keys[b].stack { return keys[a].stack < keys[b].stack }
            return (keys[a].urn ?? "") < (keys[b].urn ?? "")
        }
        return order.map { result[$0] }
    }
}
