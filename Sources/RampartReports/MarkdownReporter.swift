import RampartPolicy

/// The `markdown` report: a summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`. The verdict comes
/// first, then a table per stack of counts by severity and outcome, the mandatory violations and policy errors
/// listed, advisory violations and indeterminate outcomes collapsed in `<details>`. The whole is kept under
/// `ReportOptions.markdownLimit` bytes (GitHub comments hold 65,536 characters): findings that do not fit are
/// counted in a closing note instead of listed.
public struct MarkdownReporter: Reporter {
    public static let format = "markdown"
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ report: ScanReport) -> [UInt8] {
        var doc = MarkdownBudget(limit: max(options.markdownLimit, 2_000))
        let active = report.findings.filter(\.isActive)
        let mandatory = active.filter { $0.outcome == .violation && isMandatory($0) }
        let advisory = active.filter { $0.outcome == .violation && !isMandatory($0) }
        let errors = active.filter { $0.outcome == .error }
        let indeterminate = active.filter { $0.outcome == .indeterminate }

        let verdict = report.verdict.failed ? "❌ **Rampart: failed**" : "✅ **Rampart: passed**"
        doc.addFixed("## \(verdict) (fail-on \(report.verdict.failOn.rawValue))\n\n")
        let resources = report.stacks.reduce(0) { $0 + $1.resourceCount }
        doc.addFixed("\(report.stacks.count) stack(s), \(resources) resource(s): **\(mandatory.count)** mandatory and "
                     + "**\(advisory.count)** advisory violation(s), \(errors.count) policy error(s), "
                     + "\(indeterminate.count) indeterminate. \(report.tool.name) \(MarkdownText.escape(report.tool.version)).\n")

        // Per-stack tallies in one pass each: a backend scan has hundreds of stacks and millions of evaluations.
        var evaluated = Array(repeating: (total: 0, passed: 0, notApplicable: 0), count: report.stacks.count)
        for e in report.evaluations where Int(e.stack) < evaluated.count {
            evaluated[Int(e.stack)].total += 1
            if e.outcome == .pass { evaluated[Int(e.stack)].passed += 1 }
            if e.outcome == .notApplicable { evaluated[Int(e.stack)].notApplicable += 1 }
        }
        let findingsByStack = Dictionary(grouping: report.findings, by: \.stack)
        doc.beginSection("", closing: "")
        for (index, stack) in report.stacks.enumerated() {
            let table = stackTable(stack, findingsByStack[stack.name] ?? [], evaluated[index])
            if !doc.add(table) { doc.omit(report.stacks.count - index, title: "Stack tables"); break }
        }
        doc.endSection()

        section(&doc, "Mandatory violations", mandatory, collapsed: false)
        section(&doc, "Policy errors", errors, collapsed: false)
        section(&doc, "Advisory violations", advisory, collapsed: true)
        section(&doc, "Indeterminate (not evaluable)", indeterminate, collapsed: true)

        let exempted = report.findings.filter { !$0.isActive }
        if !exempted.isEmpty {
            doc.addFixed("\n\(exempted.filter { $0.exemption != nil }.count) finding(s) exempted, "
                         + "\(exempted.filter { $0.exemption == nil && $0.baselined }.count) in the baseline (not counted above).\n")
        }
        if let baseline = report.baseline {
            doc.addFixed("\nBaseline \(code(baseline.file)): \(baseline.known) known, \(baseline.new) new, "
                         + "\(baseline.resolved.count) resolved (no longer found; the baseline can shrink).\n")
        }
        let expired = report.exemptions.filter(\.expired)
        if !expired.isEmpty {
            var text = "\n**Expired exemptions** (no longer applied):\n\n"
            for e in expired { text += "- \(code(e.policy)) expired \(MarkdownText.escape(e.expires ?? "?")): \(MarkdownText.escape(e.reason))\n" }
            if !doc.add(text) { doc.omit(expired.count, title: "Expired exemptions") }
        }
        doc.finish()
        return Array(doc.text.utf8)
    }

    private func isMandatory(_ f: Finding) -> Bool { f.enforcementLevel == .mandatory || f.enforcementLevel == .remediate }

    private func stackTable(_ stack: StackSummary, _ findings: [Finding],
                            _ evaluated: (total: Int, passed: Int, notApplicable: Int)) -> String {
        var text = "\n### \(MarkdownText.escape(stack.name))\n\n"
        text += "\(stack.resourceCount) resource(s) from \(code(stack.source))"
        if evaluated.total > 0 {
            text += "; \(evaluated.total) evaluation(s): \(evaluated.passed) passed, \(evaluated.notApplicable) not applicable"
        }
        text += ".\n\n"
        guard !findings.isEmpty else { return text + "No findings.\n" }
        text += "| Severity | Mandatory | Advisory | Errors | Indeterminate | Exempted / baselined |\n"
        text += "|---|---:|---:|---:|---:|---:|\n"
        for severity in Severity.allCases.reversed() {
            let row = findings.filter { $0.severity == severity }
            guard !row.isEmpty else { continue }
            let active = row.filter(\.isActive)
            let m = active.filter { $0.outcome == .violation && isMandatory($0) }.count
            let a = active.filter { $0.outcome == .violation && !isMandatory($0) }.count
            let e = active.filter { $0.outcome == .error }.count
            let i = active.filter { $0.outcome == .indeterminate }.count
            text += "| \(severity.rawValue) | \(m) | \(a) | \(e) | \(i) | \(row.count - active.count) |\n"
        }
        return text
    }

    private func section(_ doc: inout MarkdownBudget, _ title: String, _ findings: [Finding], collapsed: Bool) {
        guard !findings.isEmpty else { return }
        let open = collapsed
            ? "\n<details>\n<summary>\(title) (\(findings.count))</summary>\n\n"
            : "\n#### \(title) (\(findings.count))\n\n"
        let close = collapsed ? "\n</details>\n" : ""
        guard doc.beginSection(open, closing: close) else { doc.omit(findings.count, title: title); return }
        for f in findings {
            if !doc.add(item(f)) { doc.omit(findings.count - doc.sectionItems, title: title); break }
        }
        doc.endSection()
    }

    private func item(_ f: Finding) -> String {
        var line = "- **\(f.severity.rawValue)** \(code(f.ruleID)) — "
        if let r = f.resource { line += "\(code(r.type)) **\(MarkdownText.escape(r.name))**" } else { line += "stack" }
        line += " in \(MarkdownText.escape(f.stack))"
        if let location = f.location { line += " at \(code(location.display))" }
        line += "<br>\(MarkdownText.escape(f.message))"
        if let fix = f.proposedFix { line += "<br>Proposed fix: \(MarkdownText.escape(fix))" }
        if let remediation = f.remediation, f.outcome == .violation { line += "<br>*Remediation:* \(MarkdownText.escape(remediation))" }
        return line + "\n"
    }

    /// A code span, unless the text has backticks or line breaks (which a span cannot hold): then escaped text.
    private func code(_ text: String) -> String {
        text.contains(where: { $0 == "`" || $0.isNewline }) ? MarkdownText.escape(text) : "`" + text + "`"
    }
}

/// Builds Markdown under a byte budget. Fixed parts (verdict, tables) always go in; list items go in while they
/// fit, keeping room for the open section's closing text and for the note that says what was cut.
struct MarkdownBudget {
    let limit: Int
    private(set) var text = ""
    private var closing = ""
    private(set) var sectionItems = 0
    private var omitted: [(title: String, count: Int)] = []
    /// Room kept for the final note and a section's closing tags.
    private static let reserve = 600

    init(limit: Int) { self.limit = limit }

    mutating func addFixed(_ part: String) { text += part }

    /// Opens a section; false (and nothing written) when even its opening does not fit.
    @discardableResult
    mutating func beginSection(_ opening: String, closing: String) -> Bool {
        sectionItems = 0
        self.closing = closing
        guard fits(opening) else { self.closing = ""; return false }
        text += opening
        return true
    }

    /// Adds a part if it fits; false when it does not.
    @discardableResult
    mutating func add(_ part: String) -> Bool {
        guard fits(part) else { return false }
        text += part
        sectionItems += 1
        return true
    }

    mutating func omit(_ count: Int, title: String) { omitted.append((title, count)) }

    mutating func endSection() {
        text += closing
        closing = ""
    }

    mutating func finish() {
        guard !omitted.isEmpty else { return }
        let parts = omitted.map { "\($0.count) \($0.title.lowercased())" }.joined(separator: ", ")
        text += "\n> **Report cut to fit \(limit) bytes:** \(parts) not listed. The `json` or `sarif` report has them all.\n"
    }

    private func fits(_ part: String) -> Bool {
        text.utf8.count + part.utf8.count + closing.utf8.count + MarkdownBudget.reserve <= limit
    }
}
