import RampartJSON
import RampartPolicy

/// A recorded set of known findings, so that adopting Rampart on an existing estate fails only on new problems.
/// Entries are keyed by fingerprint (stack, pack, policy, URN, detail) — Pulumi's URNs, not source lines.
public struct Baseline: Sendable, Hashable {
    public static let formatVersion = 1

    public struct Entry: Sendable, Hashable, Comparable {
        public var fingerprint: String
        public var stack: String
        public var pack: String
        public var policy: String
        public var urn: String?
        public var detail: String?
        /// The (already redacted) policy message, for humans reading the file.
        public var message: String
        /// `YYYY-MM-DD` the finding was first recorded.
        public var recorded: String

        public init(fingerprint: String, stack: String, pack: String, policy: String, urn: String?, detail: String?,
                    message: String, recorded: String) {
            self.fingerprint = fingerprint
            self.stack = stack
            self.pack = pack
            self.policy = policy
            self.urn = urn
            self.detail = detail
            self.message = message
            self.recorded = recorded
        }

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.stack, lhs.pack, lhs.policy, lhs.urn ?? "", lhs.fingerprint) < (rhs.stack, rhs.pack, rhs.policy, rhs.urn ?? "", rhs.fingerprint)
        }
    }

    /// `YYYY-MM-DD` the file was written.
    public var created: String
    public var tool: String
    public var entries: [Entry]

    public init(created: String, tool: String, entries: [Entry]) {
        self.created = created
        self.tool = tool
        self.entries = entries.sorted()
    }

    /// Records every finding of a report. Entries already in `previous` keep their original date.
    public static func record(_ report: ScanReport, today: String, previous: Baseline? = nil) -> Baseline {
        let known = Dictionary((previous?.entries ?? []).map { ($0.fingerprint, $0.recorded) }, uniquingKeysWith: min)
        var seen = Set<String>()
        var entries: [Entry] = []
        for finding in report.findings where finding.exemption == nil && seen.insert(finding.fingerprint).inserted {
            entries.append(Entry(fingerprint: finding.fingerprint, stack: finding.stack, pack: finding.pack,
                                 policy: finding.policy, urn: finding.resource?.urn, detail: finding.detailKey,
                                 message: finding.message, recorded: known[finding.fingerprint] ?? today))
        }
        return Baseline(created: today, tool: "\(report.tool.name) \(report.tool.version)", entries: entries)
    }

    // MARK: - File format

    /// The file's bytes: versioned, sorted, pretty-printed JSON.
    public func encoded() -> [UInt8] {
        var w = JSONWriter(style: .pretty(indent: 2))
        w.beginObject()
        w.key("version"); w.number(Baseline.formatVersion)
        w.key("tool"); w.string(tool)
        w.key("created"); w.string(created)
        w.key("findings"); w.beginArray()
        for e in entries {
            w.beginObject()
            w.key("fingerprint"); w.string(e.fingerprint)
            w.key("stack"); w.string(e.stack)
            w.key("pack"); w.string(e.pack)
            w.key("policy"); w.string(e.policy)
            if let urn = e.urn { w.key("urn"); w.string(urn) }
            if let detail = e.detail { w.key("detail"); w.string(detail) }
            w.key("message"); w.string(e.message)
            w.key("recorded"); w.string(e.recorded)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes + [0x0A]
    }
}
