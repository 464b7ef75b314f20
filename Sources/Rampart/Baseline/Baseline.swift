import Foundation
import RampartEngine
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

    /// Reads a baseline file; every shape error names the file and JSON path.
    public static func read(_ path: String) throws(RampartError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(file: path, line: nil, column: nil, message: "cannot read baseline file")
        }
        return try decode([UInt8](data), file: path)
    }

    static func decode(_ bytes: [UInt8], file: String) throws(RampartError) -> Baseline {
        let document: JSONDocument
        do { document = try JSONDocument.parse(bytes) } catch {
            throw .configuration(file: file, line: error.line, column: error.column, message: error.reasonDescription + " (at \(error.path))")
        }
        let root = document.root
        func shape(_ path: String, _ expected: String) -> RampartError {
            .configuration(file: file, line: nil, column: nil, message: "at \(path): expected \(expected)")
        }
        guard root.kind == .object else { throw shape("$", "a baseline object {version, created, findings}") }
        guard let version = root["version"]?.int else { throw shape("$.version", "the format version number") }
        guard version == formatVersion else {
            throw .configuration(file: file, line: nil, column: nil,
                                 message: "at $.version: baseline format \(version) is not supported, expected \(formatVersion)")
        }
        guard let created = root["created"]?.string else { throw shape("$.created", "a date string") }
        guard let findings = root["findings"], findings.kind == .array else { throw shape("$.findings", "an array of findings") }
        var entries: [Entry] = []
        var index = 0
        for item in findings.elements {
            let path = "$.findings[\(index)]"
            guard item.kind == .object else { throw shape(path, "a finding object") }
            func field(_ key: String) throws(RampartError) -> String {
                guard let value = item[key]?.string else { throw shape("\(path).\(key)", "a string") }
                return value
            }
            entries.append(Entry(fingerprint: try field("fingerprint"), stack: try field("stack"), pack: try field("pack"),
                                 policy: try field("policy"), urn: item["urn"]?.string, detail: item["detail"]?.string,
                                 message: item["message"]?.string ?? "", recorded: item["recorded"]?.string ?? created))
            index += 1
        }
        return Baseline(created: created, tool: root["tool"]?.string ?? "", entries: entries)
    }
}
