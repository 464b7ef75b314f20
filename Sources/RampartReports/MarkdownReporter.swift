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
        // Findings are handled by index: a large scan has hundreds of thousands, and copying them into lists
        // (each copy retaining a dozen strings) cost more than the rest of the report.
        let findings = report.findings
        var mandatory: [Int] = [], advisory: [Int] = [], errors: [Int] = [], indeterminate: [Int] = []
        for (i, f) in findings.enumerated() where f.isActive {
            switch f.outcome {
            case .violation: if isMandatory(f) { mandatory.append(i) } else { advisory.append(i) }
            case .error: errors.append(i)
            case .indeterminate: indeterminate.append(i)
            default: break
            }
        }

        let verdict = report.verdict.exitCode == 2 ? "⚠️ **Rampart: incomplete** (some inputs were not read)"
            : report.verdict.failed ? "❌ **Rampart: failed**" : "✅ **Rampart: passed**"
        doc.addFixed("## \(verdict) (fail-on \(report.verdict.failOn.rawValue))\n\n")
        for failure in report.inputFailures {
            doc.addFixed("⚠️ **Input not read:** \(MarkdownText.escape(failure.message))\n\n")
        }
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
        let findingsByStack = Dictionary(grouping: findings.indices, by: { findings[$0].stack })
        doc.beginSection("", closing: "")
        for (index, stack) in report.stacks.enumerated() {
            let table = stackTable(stack, findingsByStack[stack.name] ?? [], findings, evaluated[index])
            if !doc.add(table) { doc.omit(report.stacks.count - index, title: "Stack tables"); break }
        }
        doc.endSection()

        section(&doc, "Mandatory violations", mandatory, findings, collapsed: false)
        section(&doc, "Policy errors", errors, findings, collapsed: false)
        section(&doc, "Advisory violations", advisory, findings, collapsed: true)
        section(&doc, "Indeterminate (not evaluable)", indeterminate, findings, collapsed: true)

        var inactive = 0, exempted = 0, baselined = 0
        for f in findings where !f.isActive {
            inactive += 1
            if f.exemption != nil { exempted += 1 } else if f.baselined { baselined += 1 }
        }
        if inactive > 0 {
            doc.addFixed("\n\(exempted) finding(s) exempted, \(baselined) in the baseline (not counted above).\n")
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

    private func stackTable(_ stack: StackSummary, _ indexes: [Int], _ findings: [Finding],
                            _ evaluated: (total: Int, passed: Int, notApplicable: Int)) -> String {
        var text = "\n### \(MarkdownText.escape(stack.name))\n\n"
        text += "\(stack.resourceCount) resource(s) from \(code(stack.source))"
        if evaluated.total > 0 {
            text += "; \(evaluated.total) evaluation(s): \(evaluated.passed) passed, \(evaluated.notApplicable) not applicable"
        }
        text += ".\n\n"
        guard !indexes.isEmpty else { return text + "No findings.\n" }
        text += "| Severity | Mandatory | Advisory | Errors | Indeterminate | Exempted / baselined |\n"
        text += "|---|---:|---:|---:|---:|---:|\n"
        struct Row {
            var total = 0, mandatory = 0, advisory = 0, errors = 0, indeterminate = 0, inactive = 0
        }
        var rows: [Severity: Row] = [:]
        for i in indexes {
            let f = findings[i]
            var row = rows[f.severity] ?? Row()
            row.total += 1
            if !f.isActive {
                row.inactive += 1
            } else {
                switch f.outcome {
                case .violation: if isMandatory(f) { row.mandatory += 1 } else { row.advisory += 1 }
                case .error: row.errors += 1
                case .indeterminate: row.indeterminate += 1
                default: break
                }
            }
            rows[f.severity] = row
        }
        for severity in Severity.allCases.reversed() {
            guard let r = rows[severity] else { continue }
            text += "| \(severity.rawValue) | \(r.mandatory) | \(r.advisory) | \(r.errors) | \(r.indeterminate) | \(r.inactive) |\n"
        }
        return text
    }

    private func section(_ doc: inout MarkdownBudget, _ title: String, _ indexes: [Int], _ all: [Finding], collapsed: Bool) {
        let findings = indexes.lazy.map { all[$0] }
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
