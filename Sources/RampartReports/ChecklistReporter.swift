import RampartPolicy

/// One row of the audit checklist: a policy's status over every subject of the run.
public struct ChecklistItem: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case pass
        case violation
        case notEvaluable = "not evaluable"
        case notApplicable = "not applicable"
        case error
    }
    public var pack: String
    public var policy: String
    public var status: Status
    /// What the status rests on: violation messages, the missing evidence, or what was checked.
    public var evidence: String
    /// What to do; empty when nothing is.
    public var action: String
}

/// The checklist of a report: per policy, the worst status over all subjects (violation > error > not evaluable >
/// pass > not applicable). A policy that passes on some stacks and cannot be decided on others is not evaluable:
/// the audit never reports a pass resting on missing evidence.
public enum Checklist {
    /// The subject under which `rampart audit` reports organisation-wide items.
    static let organisationSuffix = "(organization)/(organization)"

    /// At most this many messages per row; the rest are counted.
    static let shownMessages = 3

    public static func items(_ report: ScanReport) -> [(pack: PackSummary, items: [ChecklistItem])] {
        let multiStack = report.stacks.count > 1
        return report.packs.map { pack in
            (pack, pack.policies.map { policy in item(report, pack: pack, policy: policy, multiStack: multiStack) })
        }
    }

    static func item(_ report: ScanReport, pack: PackSummary, policy: PolicySummary, multiStack: Bool) -> ChecklistItem {
        let findings = report.findings.filter { $0.pack == pack.name && $0.policy == policy.name }
        func messages(_ outcome: OutcomeKind, strip: String = "") -> String {
            var seen = Set<String>()
            var lines: [String] = []
            for f in findings where f.outcome == outcome {
                var text = f.message.hasPrefix(strip) ? String(f.message.dropFirst(strip.count)) : f.message
                if multiStack && outcome == .violation && !f.stack.hasSuffix(organisationSuffix) { text = "\(f.stack): \(text)" }
                if seen.insert(text).inserted { lines.append(text) }
            }
            let shown = lines.prefix(shownMessages).joined(separator: "; ")
            return lines.count > shownMessages ? shown + "; and \(lines.count - shownMessages) more" : shown
        }
        let counts = policy.counts
        let fix = policy.remediation ?? ""
        func row(_ status: ChecklistItem.Status, _ evidence: String, _ action: String) -> ChecklistItem {
            ChecklistItem(pack: pack.name, policy: policy.name, status: status, evidence: evidence, action: action)
        }
        if counts.violation > 0 { return row(.violation, messages(.violation), fix) }
        if counts.error > 0 { return row(.error, messages(.error), "Report the policy error; the item could not be checked.") }
        if counts.indeterminate > 0 {
            return row(.notEvaluable, messages(.indeterminate, strip: "not evaluable: "), "Give the missing evidence and run the audit again.")
        }
        let subjects = counts.pass == 1 ? "1 subject" : "\(counts.pass) subjects"
        if counts.pass > 0 {
            let passing = report.evaluations.filter { e in
                e.outcome == .pass && Int(e.pack) < report.packs.count && report.packs[Int(e.pack)].name == pack.name
                    && Int(e.policy) >= 0 && Int(e.policy) < pack.policies.count && pack.policies[Int(e.policy)].name == policy.name
            }
            let organisationOnly = !passing.isEmpty && passing.allSatisfy { report.stacks[Int($0.stack)].name.hasSuffix(organisationSuffix) }
            let exempted = counts.exempted > 0 ? " (\(counts.exempted) exempted)" : ""
            return row(.pass, organisationOnly ? "holds in the organisation snapshot\(exempted)" : "holds on \(subjects)\(exempted)", "")
        }
        if counts.exempted > 0 { return row(.pass, "every violation is exempted (\(counts.exempted))", "") }
        if counts.notApplicable > 0 {
            let reason = report.evaluations.first { e in
                e.outcome == .notApplicable && Int(e.pack) < report.packs.count && report.packs[Int(e.pack)].name == pack.name
                    && Int(e.policy) >= 0 && Int(e.policy) < pack.policies.count && pack.policies[Int(e.policy)].name == policy.name
            }?.reason
            return row(.notApplicable, reason ?? "applies to none of the subjects", "")
        }
        let resources = report.stacks.reduce(0) { $0 + $1.resourceCount }
        if resources > 0 { return row(.notApplicable, "no resource it applies to in \(resources) resources", "") }
        return row(.notEvaluable, "no state given", "Give the missing evidence and run the audit again.")
    }
}

/// Renders the audit checklist — item, status, evidence, what to do — as aligned text or a Markdown table.
public struct ChecklistReporter: Reporter {
    public static let format = "checklist"
    public enum Style: Sendable { case text, markdown }
    public var style: Style
    public var options: ReportOptions

    public init(style: Style, options: ReportOptions = ReportOptions()) {
        self.style = style
        self.options = options
    }

    public func render(_ report: ScanReport) -> [UInt8] {
        Array((style == .markdown ? markdown(report) : text(report)).utf8)
    }

    static func title(_ pack: PackSummary) -> String {
        switch pack.name {
        case "hardening": return "Hardening checklist"
        case "pitfalls": return "Known pitfalls"
        default: return "Pack \(pack.name)"
        }
    }

    static func totals(_ sections: [(pack: PackSummary, items: [ChecklistItem])]) -> String {
        let all = sections.flatMap(\.items)
        let order: [ChecklistItem.Status] = [.pass, .violation, .notEvaluable, .notApplicable, .error]
        return order.compactMap { status in
            let n = all.filter { $0.status == status }.count
            return n == 0 && status == .error ? nil : "\(n) \(status.rawValue)"
        }.joined(separator: ", ")
    }

    // MARK: - Text

    private func paint(_ text: String, _ status: ChecklistItem.Status) -> String {
        guard options.color else { return text }
        let code: String
        switch status {
        case .pass: code = "32"
        case .violation, .error: code = "31;1"
        case .notEvaluable: code = "36"
        case .notApplicable: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    func text(_ report: ScanReport) -> String {
        let sections = Checklist.items(report)
        var out = "\(report.tool.name) \(report.tool.version) audit — \(report.stacks.count) subject(s)\n"
        let width = max(4, sections.flatMap(\.items).map(\.policy.count).max() ?? 4)
        let statusWidth = ChecklistItem.Status.notApplicable.rawValue.count
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        for (pack, items) in sections {
            out += "\n\(Self.title(pack)) (builtin:\(pack.name) \(pack.version))\n"
            out += "  " + pad("ITEM", width) + "  " + pad("STATUS", statusWidth) + "  EVIDENCE\n"
            for item in items {
                out += "  " + pad(item.policy, width) + "  " + paint(pad(item.status.rawValue, statusWidth), item.status) + "  " + item.evidence + "\n"
                if !item.action.isEmpty {
                    out += "  " + String(repeating: " ", count: width + statusWidth + 4) + "→ " + item.action + "\n"
                }
            }
        }
        out += "\n" + Self.totals(sections) + "\n"
        out += report.verdict.word.uppercased() + " (fail-on \(report.verdict.failOn.rawValue))\n"
        return out
    }

    // MARK: - Markdown

    func markdown(_ report: ScanReport) -> String {
        let sections = Checklist.items(report)
        var out = "## Rampart audit\n\n"
        out += "\(report.stacks.count) subject(s): " + report.stacks.map { "`\(MarkdownText.escape($0.name))`" }.joined(separator: ", ") + "\n"
        for (pack, items) in sections {
            out += "\n### \(Self.title(pack)) (`builtin:\(MarkdownText.escape(pack.name))` \(MarkdownText.escape(pack.version)))\n\n"
            out += "| Item | Status | Evidence | What to do |\n|---|---|---|---|\n"
            for item in items {
                let icon: String
                switch item.status {
                case .pass: icon = "✅"
                case .violation, .error: icon = "❌"
                case .notEvaluable: icon = "❔"
                case .notApplicable: icon = "➖"
                }
                out += "| `\(item.policy)` | \(icon) \(item.status.rawValue) | \(MarkdownText.escape(item.evidence)) | \(item.action.isEmpty ? "—" : MarkdownText.escape(item.action)) |\n"
            }
        }
        out += "\n**\(Self.totals(sections))** — " + report.verdict.word + " (fail-on \(report.verdict.failOn.rawValue))\n"
        return out
    }
}
