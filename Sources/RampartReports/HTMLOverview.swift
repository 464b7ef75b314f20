import RampartPolicy

/// The tallies the HTML report's overview shows, in one pass over the findings.
struct HTMLTallies {
    var findings = 0
    var active = 0
    var exempted = 0
    var baselined = 0
    var violations = 0, indeterminate = 0, errors = 0
    /// Active violations by level (remediate counts as mandatory, as it does for the verdict).
    var mandatory = 0, advisory = 0
    var bySeverity: [Severity: Int] = [:]
    var byPack: [String: Int] = [:]
    var byStack: [String: Int] = [:]
    var byPolicy: [String: Int] = [:]
    var byType: [String: Int] = [:]

    init(_ report: ScanReport) {
        // Findings come policy by policy: the pack, the policy, the stack and mostly the type repeat from one to the
        // next, so each is counted in runs, one dictionary update a run rather than one a finding.
        var packs = RunCounter(), stacks = RunCounter(), types = RunCounter()
        var policyRun: (pack: String, policy: String, count: Int)?
        var severities = SeverityCounts()
        for f in report.findings {
            findings += 1
            if f.exemption != nil { exempted += 1 } else if f.baselined { baselined += 1 } else { active += 1 }
            switch f.outcome {
            case .violation:
                violations += 1
                if f.isActive {
                    if f.enforcementLevel == .mandatory || f.enforcementLevel == .remediate { mandatory += 1 } else { advisory += 1 }
                }
            case .indeterminate: indeterminate += 1
            case .error: errors += 1
            case .pass, .notApplicable: break
            }
            severities[f.severity] += 1
            packs.add(f.pack, into: &byPack)
            stacks.add(f.stack, into: &byStack)
            if let run = policyRun, run.pack == f.pack, run.policy == f.policy {
                policyRun?.count += 1
            } else {
                if let run = policyRun { byPolicy[run.pack + "/" + run.policy, default: 0] += run.count }
                policyRun = (f.pack, f.policy, 1)
            }
            f.withResource { if let r = $0 { types.add(r.type, into: &byType) } }
        }
        packs.finish(into: &byPack)
        stacks.finish(into: &byStack)
        types.finish(into: &byType)
        if let run = policyRun { byPolicy[run.pack + "/" + run.policy, default: 0] += run.count }
        for severity in Severity.allCases where severities[severity] > 0 { bySeverity[severity] = severities[severity] }
    }

    /// The largest entries, most first, ties by name.
    static func top(_ counts: [String: Int], _ n: Int) -> [(String, Int)] {
        Array(counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(n)).map { ($0.key, $0.value) }
    }
}

/// Horizontal bar charts drawn as inline SVG: no script, no external library, printable, and each bar labelled
/// with its name and number so colour is never the only carrier.
enum HTMLChart {
    struct Bar {
        var label: String
        var value: Int
        /// Extra class for the bar (`sev-high`), else the accent colour.
        var style: String?
    }

    static let width = 460, labelWidth = 200, barArea = 200, barHeight = 18, gap = 6

    static func figure(id: String, caption: String, bars: [Bar], note: String? = nil) -> String {
        var out = "<figure aria-labelledby=\"\(id)-caption\"><figcaption id=\"\(id)-caption\">\(HTMLText.escape(caption))</figcaption>\n"
        guard !bars.isEmpty else { return out + "<p class=\"muted\">No findings.</p></figure>\n" }
        let height = bars.count * (barHeight + gap) + gap
        let maximum = max(1, bars.map(\.value).max() ?? 1)
        let description = bars.map { "\($0.label): \($0.value)" }.joined(separator: ", ")
        out += "<svg role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"\(id)-caption \(id)-desc\">"
        out += "<desc id=\"\(id)-desc\">\(HTMLText.escape(description))</desc>\n"
        for (i, bar) in bars.enumerated() {
            let y = gap + i * (barHeight + gap)
            let length = max(bar.value > 0 ? 2 : 0, bar.value * barArea / maximum)
            let cls = bar.style.map { "bar " + $0 } ?? "bar"
            out += "<g><title>\(HTMLText.escape(bar.label)): \(bar.value)</title>"
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(HTMLText.escape(HTMLText.shortened(bar.label, 28)))</text>"
            out += "<rect class=\"\(cls)\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\" rx=\"2\"/>"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 13)\">\(HTMLText.count(bar.value))</text></g>\n"
        }
        out += "</svg>"
        if let note { out += "<p class=\"muted\">\(HTMLText.escape(note))</p>" }
        return out + "</figure>\n"
    }

    /// The top `n` entries of a tally as bars, with a note when some were left out.
    static func top(id: String, caption: String, _ counts: [String: Int], _ n: Int = 10) -> String {
        let bars = HTMLTallies.top(counts, n).map { Bar(label: $0.0, value: $0.1) }
        let note = counts.count > n ? "The \(n) largest of \(counts.count)." : nil
        return figure(id: id, caption: caption, bars: bars, note: note)
    }
}
