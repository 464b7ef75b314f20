import RampartModel
import RampartPolicy

/// What applying a baseline to a report found.
public struct BaselineComparison: Sendable, Hashable {
    /// Findings the baseline already knew (dropped from the verdict, still reported).
    public var known: Int
    /// Findings not in the baseline.
    public var new: Int
    /// Baseline entries no finding matched: fixed (or gone) — the file can shrink.
    public var resolved: [Baseline.Entry]
    /// Entries older than the allowed age.
    public var stale: [Baseline.Entry]
}

/// Marks the findings a baseline lists. A finding matches an entry by fingerprint, or — when its resource was
/// renamed and state records the old URN in `aliases` — by the fingerprint it had under an alias.
public struct BaselineMatcher: Sendable {
    public var baseline: Baseline
    /// URN → its aliases (old URNs), from the scanned state.
    public var aliases: [String: [String]]

    public init(baseline: Baseline, aliases: [String: [String]] = [:]) {
        self.baseline = baseline
        self.aliases = aliases
    }

    public func apply(to report: inout ScanReport, today: String, maxAgeDays: Int?) -> BaselineComparison {
        let entries = Dictionary(baseline.entries.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        var used = Set<String>()
        var known = 0, new = 0
        for i in report.findings.indices {
            let finding = report.findings[i]
            guard finding.exemption == nil else { continue }
            if let match = matchingFingerprint(finding, in: entries) {
                report.findings[i].baselined = true
                used.insert(match)
                known += 1
            } else {
                new += 1
            }
        }
        let resolved = baseline.entries.filter { !used.contains($0.fingerprint) }
        var stale: [Baseline.Entry] = []
        if let maxAgeDays, let now = CivilDate(parsing: today) {
            let cutoff = CivilDate(day: now.day - maxAgeDays)
            stale = baseline.entries.filter { used.contains($0.fingerprint) && (CivilDate(parsing: $0.recorded).map { $0 < cutoff } ?? false) }
        }
        return BaselineComparison(known: known, new: new, resolved: resolved, stale: stale)
    }

    private func matchingFingerprint(_ finding: Finding, in entries: [String: Baseline.Entry]) -> String? {
        if entries[finding.fingerprint] != nil { return finding.fingerprint }
        guard let urn = finding.resource?.urn, let old = aliases[urn] else { return nil }
        for alias in old {
            let fingerprint = Fingerprint.of(stack: finding.stack, pack: finding.pack, policy: finding.policy, urn: alias,
                                             detail: finding.detailKey ?? finding.location.map(\.file))
            if entries[fingerprint] != nil { return fingerprint }
        }
        return nil
    }
}
