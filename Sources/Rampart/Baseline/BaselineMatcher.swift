import RampartEngine
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
        if let maxAgeDays, let cutoff = CalendarDate(today)?.adding(days: -maxAgeDays) {
            stale = baseline.entries.filter { used.contains($0.fingerprint) && (CalendarDate($0.recorded).map { $0 < cutoff } ?? false) }
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

/// A proleptic Gregorian date (`YYYY-MM-DD`) with day arithmetic, for ages and expiry without time zones.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let day: Int

    public init?(_ text: String) {
        let parts = text.prefix(10).split(separator: "-")
        guard text.count >= 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Days from civil (Howard Hinnant's algorithm, public domain arithmetic).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        day = era * 146097 + doe - 719468
    }

    private init(day: Int) { self.day = day }

    public func adding(days: Int) -> CalendarDate { CalendarDate(day: day + days) }

    public var description: String {
        let z = day + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.day < rhs.day }
}
