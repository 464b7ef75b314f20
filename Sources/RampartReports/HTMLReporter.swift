import RampartPolicy

/// The `html` report: one self-contained page for the people who act on a scan or an audit.
///
/// Everything is in the file — stylesheet, script, the findings as one JSON block — and nothing is fetched: a
/// Content-Security-Policy allows only the file's own style and script, by hash. The overview (cards and SVG
/// charts), the audit checklist, the stacks, exemptions, baseline and the policy explanations are plain HTML and
/// read without JavaScript; the script adds the findings table (grouped by resource, sortable, filterable,
/// rendering only the rows in view so 100,000 findings stay smooth). Every string from the report is escaped
/// for where it goes; messages were redacted by the engine like for every report.
public struct HTMLReporter: Reporter {
    public static let format = "html"
    /// Whether to show the audit checklist (`rampart audit` sets it, as it renders text and Markdown as the
    /// checklist).
    public var checklist: Bool

    public init(checklist: Bool = false) { self.checklist = checklist }

    /// The Content-Security-Policy of every report: the one stylesheet and the one script, by their SHA-256;
    /// nothing else may load, connect, submit or change the base URL.
    public static var contentSecurityPolicy: String {
        "default-src 'none'; script-src \(SHA256.cspSource(HTMLAssets.script)); style-src \(SHA256.cspSource(HTMLAssets.style)); "
            + "img-src 'none'; base-uri 'none'; form-action 'none'"
    }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Writes the page; the findings' JSON block is streamed in chunks.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        let data = HTMLData(report)
        let tallies = HTMLTallies(report)
        var page = head(report)
        page += "<body>\n"
        page += header(report)
        page += "<main>\n"
        page += overview(report, tallies)
        if checklist { page += checklistSection(report) }
        page += findingsSection(tallies)
        page += policiesSection(data)
        page += inputsSection(report)
        page += "</main>\n"
        page += "<script type=\"application/json\" id=\"rampart-data\">"
        output.append(Array(page.utf8))
        data.write(report, to: output)
        output.append(Array(("</script>\n<script>" + HTMLAssets.script + "</script>\n</body>\n</html>\n").utf8))
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    // MARK: - Head and header

    private func head(_ report: ScanReport) -> String {
        let title = checklist ? "Rampart audit" : "Rampart report"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <meta name="generator" content="\(e(report.tool.name)) \(e(report.tool.version))">
            <title>\(title) — \(report.verdict.word)</title>
            <style>\(HTMLAssets.style)</style>
            </head>

            """
    }

    private func header(_ report: ScanReport) -> String {
        let verdict = report.verdict.word
        var out = "<header class=\"top\"><h1>\(checklist ? "Rampart audit" : "Rampart report")</h1>"
        out += "<p><span class=\"verdict \(verdict)\" id=\"verdict\">\(verdict.uppercased())</span> "
        out += "fail-on \(e(report.verdict.failOn.rawValue)) · exit code \(report.verdict.exitCode)</p>"
        out += "<p>\(e(report.tool.name)) \(e(report.tool.version)) · \(e(report.timestamp))</p></header>\n"
        out += "<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#overview\">Overview</a>"
        if checklist { out += "<a href=\"#checklist\">Checklist</a>" }
        out += "<a href=\"#findings\">Findings</a><a href=\"#policies\">Policies</a><a href=\"#inputs\">Inputs and stacks</a></nav>\n"
        return out
    }

    // MARK: - Overview

    private func card(_ title: String, big: (value: Int, key: String)?, rows: [(String, Int, String)]) -> String {
        var out = "<div class=\"card\"><h3>\(e(title))</h3>"
        if let big { out += "<div class=\"big\" data-count=\"\(big.key)\">\(HTMLText.count(big.value))</div>" }
        if !rows.isEmpty {
            out += "<ul>"
            for (label, value, key) in rows {
                out += "<li><span>\(e(label))</span><span data-count=\"\(key)\">\(HTMLText.count(value))</span></li>"
            }
            out += "</ul>"
        }
        return out + "</div>\n"
    }

    private func overview(_ report: ScanReport, _ t: HTMLTallies) -> String {
        var out = "<section id=\"overview\" aria-labelledby=\"overview-h\"><h2 id=\"overview-h\">Overview</h2>\n<div class=\"cards\">\n"
        let resources = report.stacks.reduce(0) { $0 + $1.resourceCount }
        out += card("Inputs", big: (report.inputs.count, "inputs"), rows: [])
        out += card("Stacks", big: (report.stacks.count, "stacks"), rows: [])
        out += card("Resources", big: (resources, "resources"), rows: [])
        out += card("Findings", big: (t.findings, "findings"), rows: [
            ("counting towards the verdict", t.active, "active"), ("exempted", t.exempted, "exempted"), ("in the baseline", t.baselined, "baselined"),
        ])
        out += card("By outcome", big: nil, rows: [
            ("violation", t.violations, "violation"), ("indeterminate", t.indeterminate, "indeterminate"), ("error", t.errors, "error"),
        ])
        out += card("Violations by level", big: nil, rows: [
            ("mandatory", t.mandatory, "mandatory"), ("advisory", t.advisory, "advisory"),
        ])
        out += card("By severity", big: nil, rows: Severity.allCases.reversed().map { ($0.rawValue, t.bySeverity[$0] ?? 0, "severity-" + $0.rawValue) })
        if let baseline = report.baseline {
            out += card("Baseline", big: nil, rows: [
                ("new", baseline.new, "baseline-new"), ("unchanged", baseline.known, "baseline-unchanged"),
                ("resolved", baseline.resolved.count, "baseline-resolved"),
            ])
        }
        let expired = report.exemptions.filter(\.expired).count
        out += card("Exemptions", big: nil, rows: [
            ("active", report.exemptions.count - expired, "exemptions-active"), ("expired", expired, "exemptions-expired"),
        ])
        out += "</div>\n<div class=\"charts\">\n"
        let severityBars = Severity.allCases.reversed().map { HTMLChart.Bar(label: $0.rawValue, value: t.bySeverity[$0] ?? 0, style: "sev-" + $0.rawValue) }
        out += HTMLChart.figure(id: "chart-severity", caption: "Findings by severity", bars: t.findings == 0 ? [] : severityBars)
        out += HTMLChart.top(id: "chart-pack", caption: "Findings by pack", t.byPack)
        out += HTMLChart.top(id: "chart-stack", caption: "Findings by stack", t.byStack)
        out += HTMLChart.top(id: "chart-policy", caption: "Top policies", t.byPolicy)
        out += HTMLChart.top(id: "chart-type", caption: "Top resource types", t.byType)
        return out + "</div>\n</section>\n"
    }

    // MARK: - Checklist

    private func checklistSection(_ report: ScanReport) -> String {
        let sections = Checklist.items(report)
        var out = "<section id=\"checklist\" aria-labelledby=\"checklist-h\"><h2 id=\"checklist-h\">Checklist</h2>\n"
        out += "<p>\(e(ChecklistReporter.totals(sections))). An item is never passed for lack of evidence: "
        out += "a not-evaluable item names the evidence it needs.</p>\n"
        for (pack, items) in sections {
            out += "<table class=\"checklist\"><caption>\(e(ChecklistReporter.title(pack))) (builtin:\(e(pack.name)) \(e(pack.version)))</caption>\n"
            out += "<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Status</th><th scope=\"col\">Evidence</th><th scope=\"col\">What to do</th></tr></thead><tbody>\n"
            for item in items {
                let icon: String
                switch item.status {
                case .pass: icon = "✔"
                case .violation, .error: icon = "✖"
                case .notEvaluable: icon = "?"
                case .notApplicable: icon = "–"
                }
                let cls = String(item.status.rawValue.map { $0 == " " ? "-" : $0 })
                out += "<tr data-status=\"\(cls)\"><th scope=\"row\"><code>\(e(item.policy))</code></th>"
                out += "<td><span class=\"status \(cls)\"><span aria-hidden=\"true\">\(icon)</span> \(item.status.rawValue)</span></td>"
                out += "<td>\(e(item.evidence))</td><td>\(item.action.isEmpty ? "<span class=\"muted\">—</span>" : e(item.action))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }

    // MARK: - Findings (filled by the script)

    private func findingsSection(_ t: HTMLTallies) -> String {
        let selects = [("f-stack", "Stack"), ("f-pack", "Pack"), ("f-policy", "Policy"), ("f-severity", "Severity"),
                       ("f-level", "Level"), ("f-outcome", "Outcome"), ("f-state", "State")]
        var out = "<section id=\"findings\" aria-labelledby=\"findings-h\"><h2 id=\"findings-h\">Findings</h2>\n"
        out += "<p class=\"no-js\">The findings table needs JavaScript; the overview, checklist, policies and inputs above and below do not. "
        out += "The <code>json</code> or <code>sarif</code> report lists the \(HTMLText.count(t.findings)) findings for tools.</p>\n"
        out += "<div class=\"needs-js\">\n<form class=\"filters\" role=\"search\" aria-label=\"Filter findings\">\n"
        for (id, label) in selects {
            out += "<label for=\"\(id)\">\(label)<select id=\"\(id)\"><option value=\"\">all</option></select></label>\n"
        }
        out += "<label for=\"f-text\">Text<input type=\"search\" id=\"f-text\" placeholder=\"message, URN, type, file…\" autocomplete=\"off\"></label>\n"
        out += "<button type=\"button\" id=\"f-clear\">Clear</button>\n</form>\n"
        out += "<output id=\"shown-count\" for=\"f-stack f-pack f-policy f-severity f-level f-outcome f-state f-text\" aria-live=\"polite\">"
        out += "Showing <strong id=\"shown\">0</strong> of <span id=\"total\" data-count=\"findings-table-total\">\(t.findings)</span> findings "
        out += "on <span id=\"shown-groups\">0</span> resources. Select a row (click, or Enter) for its details; arrow keys move between rows.</output>\n"
        out += "<p class=\"print-note\" id=\"print-note\"></p>\n"
        out += "<div class=\"scroll\" id=\"findings-scroll\">\n<table class=\"findings\" id=\"findings-table\" aria-rowcount=\"1\">\n"
        out += "<caption class=\"muted\">Findings grouped by resource (type, URN); the location is the finding's file position, else its stack</caption>\n"
        out += "<colgroup><col class=\"c-sev\"><col class=\"c-lvl\"><col class=\"c-out\"><col class=\"c-pol\"><col class=\"c-msg\"><col class=\"c-loc\"></colgroup>\n"
        out += "<thead><tr aria-rowindex=\"1\">"
        for (key, label) in [("severity", "Severity"), ("level", "Level"), ("outcome", "Outcome"), ("policy", "Policy"),
                             ("message", "Message"), ("location", "Location")] {
            out += "<th scope=\"col\" data-key=\"\(key)\"><button type=\"button\">\(label)</button></th>"
        }
        out += "</tr></thead>\n<tbody id=\"findings-body\"></tbody>\n</table>\n"
        out += "<p id=\"findings-empty\" class=\"muted\" hidden>No finding matches the filters.</p>\n</div>\n"
        out += "<section id=\"detail\" aria-live=\"polite\" hidden></section>\n</div>\n</section>\n"
        return out
    }

    // MARK: - Policies

    private func policiesSection(_ data: HTMLData) -> String {
        var out = "<section id=\"policies\" aria-labelledby=\"policies-h\"><h2 id=\"policies-h\">Policies</h2>\n"
        out += "<p>Every policy of the run: what it checks, why, how to fix it, the frameworks it maps to and the other tools' "
        out += "policies it is equivalent to.</p>\n"
        for (i, p) in data.policies.enumerated() {
            out += "<details class=\"policy\" id=\"policy-\(i)\"><summary><code>\(e(p.pack))/\(e(p.policy))</code>"
            guard let s = p.summary else {
                out += " <span class=\"muted\">(named by findings; not among the run's packs)</span></summary></details>\n"
                continue
            }
            out += " <span class=\"sev sev-\(s.severity.rawValue)\">\(s.severity.rawValue)</span> \(s.enforcementLevel.rawValue) — \(e(s.description))</summary>\n<dl>"
            if let rationale = s.rationale { out += "<dt>Why</dt><dd>\(e(rationale))</dd>" }
            if let remediation = s.remediation { out += "<dt>Remediation</dt><dd>\(e(remediation))</dd>" }
            if !s.frameworks.isEmpty {
                out += "<dt>Frameworks</dt><dd><ul class=\"plain\">"
                for f in s.frameworks {
                    out += "<li>\(e(f.name))" + (f.version.map { " " + e($0) } ?? "") + (f.control.map { " — control " + e($0) } ?? "") + "</li>"
                }
                out += "</ul></dd>"
            }
            if !s.equivalents.isEmpty {
                out += "<dt>Equivalents</dt><dd><ul class=\"plain\">"
                for q in s.equivalents {
                    let source = q.source == .awsguard ? "AWSGuard" : "Pulumi compliance-ready policies"
                    out += "<li>\(source): <code>\(e(q.policy))</code></li>"
                }
                out += "</ul></dd>"
            }
            let c = s.counts
            out += "<dt>Outcomes</dt><dd>\(c.violation) violation, \(c.indeterminate) indeterminate, \(c.error) error, "
            out += "\(c.pass) pass, \(c.notApplicable) not applicable, \(c.exempted) exempted</dd></dl></details>\n"
        }
        return out + "</section>\n"
    }

    // MARK: - Inputs, stacks, exemptions, baseline, notices

    /// Longest list shown in full in the page; the JSON report has them all.
    static let listLimit = 1_000

    private func inputsSection(_ report: ScanReport) -> String {
        var out = "<section id=\"inputs\" aria-labelledby=\"inputs-h\"><h2 id=\"inputs-h\">Inputs and stacks</h2>\n"
        out += "<ul>" + report.inputs.map { "<li><code>\(e($0))</code></li>" }.joined() + "</ul>\n"
        var findings: [String: Int] = [:]
        for f in report.findings { findings[f.stack, default: 0] += 1 }
        out += "<table><caption>Stacks</caption><thead><tr><th scope=\"col\">Stack</th><th scope=\"col\">Kind</th>"
        out += "<th scope=\"col\">Source</th><th scope=\"col\" class=\"num\">Resources</th><th scope=\"col\" class=\"num\">Findings</th></tr></thead><tbody>\n"
        for s in report.stacks.prefix(Self.listLimit) {
            out += "<tr><th scope=\"row\">\(e(s.name))</th><td>\(e(s.kind))</td><td><code>\(e(s.source))</code></td>"
            out += "<td class=\"num\">\(s.resourceCount)</td><td class=\"num\">\(findings[s.name] ?? 0)</td></tr>\n"
        }
        out += "</tbody></table>\n" + more(report.stacks.count)
        if !report.exemptions.isEmpty {
            out += "<h3>Exemptions</h3><table><thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Applies to</th>"
            out += "<th scope=\"col\">Reason</th><th scope=\"col\">Expires</th><th scope=\"col\">Declared at</th></tr></thead><tbody>\n"
            for x in report.exemptions.prefix(Self.listLimit) {
                let target = x.urn ?? x.stack ?? "every matching resource"
                let expiry = (x.expires.map { e($0) } ?? "never") + (x.expired ? " <strong>(expired, no longer applied)</strong>" : "")
                out += "<tr><td><code>\(e(x.policy))</code></td><td><code>\(e(target))</code></td><td>\(e(x.reason))</td>"
                out += "<td>\(expiry)</td><td>\(x.source.map { "<code>\(e($0))</code>" } ?? "")</td></tr>\n"
            }
            out += "</tbody></table>\n" + more(report.exemptions.count)
        }
        if let baseline = report.baseline {
            out += "<h3>Baseline <code>\(e(baseline.file))</code></h3><p>\(baseline.new) new, \(baseline.known) unchanged, "
            out += "\(baseline.resolved.count) resolved (no longer found; the baseline can shrink).</p>\n"
            if !baseline.resolved.isEmpty {
                out += "<table><caption>Resolved</caption><thead><tr><th scope=\"col\">Stack</th><th scope=\"col\">Policy</th>"
                out += "<th scope=\"col\">Resource</th><th scope=\"col\">Message</th><th scope=\"col\">Recorded</th></tr></thead><tbody>\n"
                for r in baseline.resolved.prefix(Self.listLimit) {
                    out += "<tr><td>\(e(r.stack))</td><td><code>\(e(r.pack))/\(e(r.policy))</code></td><td><code>\(e(r.urn ?? "—"))</code></td>"
                    out += "<td>\(e(r.message))</td><td>\(e(r.recorded))</td></tr>\n"
                }
                out += "</tbody></table>\n" + more(baseline.resolved.count)
            }
        }
        if !report.notices.isEmpty {
            out += "<h3>Notices</h3><ul>"
            for n in report.notices.prefix(Self.listLimit) { out += "<li><code>\(e(n.source))</code>: \(e(n.message))</li>" }
            out += "</ul>\n" + more(report.notices.count)
        }
        return out + "</section>\n"
    }

    private func more(_ count: Int) -> String {
        count > Self.listLimit ? "<p class=\"muted\">The first \(Self.listLimit) of \(count); the json report lists them all.</p>\n" : ""
    }
}
