import RampartPolicy

/// The default human-readable report: findings grouped by stack, then a summary per pack and the verdict.
public struct TextReporter: Reporter {
    public static let format = "text"
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    private func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Streams the report, handing the text to `output` in chunks.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        var out = ""
        out += "\(report.tool.name) \(report.tool.version)\n"
        // Each stack's findings by index, found in one pass (a backend scan has hundreds of stacks).
        let findingsByStack = Dictionary(grouping: report.findings.indices, by: { report.findings[$0].stack })
        for stack in report.stacks {
            out += "\n" + paint("Stack \(stack.name)", "1") + " (\(stack.kind), \(stack.resourceCount) resources) — \(stack.source)\n"
            let indexes = findingsByStack[stack.name] ?? []
            if indexes.isEmpty { out += "  no findings\n" }
            for i in indexes {
                let f = report.findings[i]
                let label: String
                switch (f.outcome, f.enforcementLevel) {
                case (.violation, .mandatory): label = paint("MANDATORY", "31;1")
                case (.violation, .remediate): label = paint("REMEDIATE", "35")
                case (.violation, _): label = paint("ADVISORY ", "33")
                case (.indeterminate, _): label = paint("UNKNOWN  ", "36")
                default: label = paint("ERROR    ", "31")
                }
                var line = "  \(label) [\(f.severity.rawValue)] \(f.pack)/\(f.policy)"
                if let r = f.resource { line += "  \(r.type) \(r.name)" }
                out += line + "\n"
                out += "      \(f.message)\n"
                if let loc = f.location {
                    out += "      at \(loc.file)" + (loc.line.map { ":\($0)" } ?? "") + (loc.column.map { ":\($0)" } ?? "") + "\n"
                }
                if let fix = f.proposedFix { out += "      proposed fix: \(fix)\n" }
                if let e = f.exemption { out += "      exempted: \(e.reason)\n" }
                if f.baselined { out += "      (in baseline)\n" }
                if out.utf8.count >= output.chunkSize {
                    output.append(Array(out.utf8))
                    out = ""
                }
            }
        }
        if !report.packs.isEmpty { out += "\n" + paint("Policies", "1") + "\n" }
        for pack in report.packs {
            // Policies that met no resource would bury the ones that did; they are counted, not listed.
            let applied = pack.policies.filter { $0.counts.total > 0 }
            let idle = pack.policies.count - applied.count
            out += "  \(pack.name) \(pack.version)" + (idle > 0 ? " (\(idle) of \(pack.policies.count) policies applied to nothing)" : "") + "\n"
            for p in applied {
                let c = p.counts
                out += "    \(p.name) (\(p.enforcementLevel.rawValue), \(p.severity.rawValue)): \(c.pass) passed, \(c.violation) violated"
                if c.notApplicable > 0 { out += ", \(c.notApplicable) not applicable" }
                if c.indeterminate > 0 { out += ", \(c.indeterminate) indeterminate" }
                if c.error > 0 { out += ", \(c.error) errors" }
                if c.exempted > 0 { out += ", \(c.exempted) exempted" }
                out += "\n"
            }
        }
        let expired = report.exemptions.filter(\.expired)
        if !expired.isEmpty {
            out += "\nExpired exemptions (no longer applied):\n"
            for e in expired { out += "  \(e.policy) expired \(e.expires ?? "?"): \(e.reason)\n" }
        }
        if let baseline = report.baseline {
            out += "\nBaseline \(baseline.file): \(baseline.known) known, \(baseline.new) new, \(baseline.resolved.count) resolved\n"
            for entry in baseline.resolved { out += "  resolved: \(entry.pack)/\(entry.policy) \(entry.urn ?? entry.stack)\n" }
        }
        for failure in report.inputFailures { out += "error: not read: \(failure.message)\n" }
        for notice in report.notices { out += "note: \(notice.source): \(notice.message)\n" }
        var mandatory = 0, advisory = 0
        for f in report.findings where f.isActive && f.outcome == .violation {
            if f.enforcementLevel == .mandatory { mandatory += 1 } else { advisory += 1 }
        }
        let resources = report.stacks.reduce(0) { $0 + $1.resourceCount }
        out += "\n\(report.stacks.count) stack(s), \(resources) resources: \(mandatory) mandatory and \(advisory) advisory violation(s)\n"
        out += report.verdict.failed
            ? paint("FAILED", "31;1") + " (fail-on \(report.verdict.failOn.rawValue))\n"
            : paint("PASSED", "32;1") + " (fail-on \(report.verdict.failOn.rawValue))\n"
        output.append(Array(out.utf8))
    }
}
