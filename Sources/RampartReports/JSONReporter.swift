import RampartJSON
import RampartPolicy

/// The `json` report: schema version 1 (docs/report.schema.json). Field names are fixed by docs/product.md §6.
public struct JSONReporter: Reporter {
    public static let format = "json"
    public static let schemaVersion = 1

    public init() {}

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Streams the report: the writer's buffer is handed to `output` whenever it passes the chunk size.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        var w = JSONWriter(style: .pretty(indent: 2))
        w.beginObject()
        w.key("schemaVersion"); w.number(JSONReporter.schemaVersion)
        w.key("tool"); w.beginObject()
        w.key("name"); w.string(report.tool.name)
        w.key("version"); w.string(report.tool.version)
        w.endObject()
        w.key("timestamp"); w.string(report.timestamp)
        w.key("verdict"); w.beginObject()
        w.key("failed"); w.bool(report.verdict.failed)
        w.key("exitCode"); w.number(report.verdict.exitCode)
        w.key("failOn"); w.string(report.verdict.failOn.rawValue)
        w.endObject()
        w.key("inputs"); w.beginArray()
        for input in report.inputs { w.string(input) }
        w.endArray()
        w.key("stacks"); w.beginArray()
        for stack in report.stacks {
            w.beginObject()
            w.key("name"); w.string(stack.name)
            w.key("source"); w.string(stack.source)
            w.key("kind"); w.string(stack.kind)
            w.key("resourceCount"); w.number(stack.resourceCount)
            w.endObject()
            output.flush(&w)
        }
        w.endArray()
        w.key("packs"); w.beginArray()
        for pack in report.packs { writePack(pack, &w) }
        w.endArray()
        w.key("findings"); w.beginArray()
        let findings = report.findings
        let ahead: @Sendable (Int) -> Void = { i in findings.withUnsafeBufferPointer { Finding.prefetchAhead(of: i, in: $0) } }
        output.writeElements(findings, to: &w, ahead: ahead, memo: { PolicyRecordings<PolicyRuns>() }) { finding, w, members in
            JSONReporter.writeFinding(finding, &w, &members)
        }
        w.endArray()
        w.key("exemptions"); w.beginArray()
        for exemption in report.exemptions {
            writeExemption(exemption, &w)
            output.flush(&w)
        }
        w.endArray()
        if let baseline = report.baseline {
            w.key("baseline"); w.beginObject()
            w.key("file"); w.string(baseline.file)
            w.key("known"); w.number(baseline.known)
            w.key("new"); w.number(baseline.new)
            w.key("resolved"); w.beginArray()
            for entry in baseline.resolved {
                w.beginObject()
                w.key("stack"); w.string(entry.stack)
                w.key("pack"); w.string(entry.pack)
                w.key("policy"); w.string(entry.policy)
                if let urn = entry.urn { w.key("urn"); w.string(urn) }
                w.key("message"); w.string(entry.message)
                w.key("recorded"); w.string(entry.recorded)
                w.endObject()
                output.flush(&w)
            }
            w.endArray()
            w.endObject()
        }
        // Only present when some input could not be read, so reports of complete runs keep their shape.
        if !report.inputFailures.isEmpty {
            w.key("inputErrors"); w.beginArray()
            for failure in report.inputFailures {
                w.beginObject()
                w.key("file"); w.string(failure.file)
                if let line = failure.line { w.key("line"); w.number(line) }
                if let column = failure.column { w.key("column"); w.number(column) }
                w.key("message"); w.string(failure.message)
                w.endObject()
            }
            w.endArray()
        }
        w.key("notices"); w.beginArray()
        for notice in report.notices {
            w.beginObject()
            w.key("source"); w.string(notice.source)
            w.key("message"); w.string(notice.message)
            w.endObject()
            output.flush(&w)
        }
        w.endArray()
        w.endObject()
        output.finish(&w)
    }

    private func writePack(_ pack: PackSummary, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("name"); w.string(pack.name)
        w.key("version"); w.string(pack.version)
        w.key("description"); w.string(pack.description)
        w.key("policies"); w.beginArray()
        for policy in pack.policies {
            w.beginObject()
            w.key("name"); w.string(policy.name)
            w.key("description"); w.string(policy.description)
            w.key("enforcementLevel"); w.string(policy.enforcementLevel.rawValue)
            w.key("severity"); w.string(policy.severity.rawValue)
            if let remediation = policy.remediation { w.key("remediation"); w.string(remediation) }
            if !policy.frameworks.isEmpty {
                w.key("frameworks"); w.beginArray()
                for f in policy.frameworks {
                    w.beginObject()
                    w.key("name"); w.string(f.name)
                    if let version = f.version { w.key("version"); w.string(version) }
                    if let control = f.control { w.key("control"); w.string(control) }
                    w.endObject()
                }
                w.endArray()
            }
            let c = policy.counts
            w.key("counts"); w.beginObject()
            w.key("pass"); w.number(c.pass)
            w.key("violation"); w.number(c.violation)
            w.key("notApplicable"); w.number(c.notApplicable)
            w.key("indeterminate"); w.number(c.indeterminate)
            w.key("error"); w.number(c.error)
            w.key("exempted"); w.number(c.exempted)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    /// The member names every finding and exemption repeats, escaped once.
    private enum Keys {
        static let stack = JSONWriter.Key("stack"), urn = JSONWriter.Key("urn"), type = JSONWriter.Key("type")
        static let name = JSONWriter.Key("name"), pack = JSONWriter.Key("pack"), policy = JSONWriter.Key("policy")
        static let enforcementLevel = JSONWriter.Key("enforcementLevel"), severity = JSONWriter.Key("severity")
        static let outcome = JSONWriter.Key("outcome"), message = JSONWriter.Key("message")
        static let remediation = JSONWriter.Key("remediation"), proposedFix = JSONWriter.Key("proposedFix")
        static let location = JSONWriter.Key("location"), file = JSONWriter.Key("file"), line = JSONWriter.Key("line")
        static let column = JSONWriter.Key("column"), fingerprint = JSONWriter.Key("fingerprint")
        static let exempted = JSONWriter.Key("exempted"), exemptionReason = JSONWriter.Key("exemptionReason")
        static let baseline = JSONWriter.Key("baseline"), reason = JSONWriter.Key("reason")
        static let expires = JSONWriter.Key("expires"), expired = JSONWriter.Key("expired"), source = JSONWriter.Key("source")
    }

    /// What every finding of one policy at one level and outcome repeats word for word, recorded once and copied
    /// into each (`PolicyRecordings`). Of a finding's dozen members, five are written one by one (each scanned for
    /// escapes) and the rest copied in three runs.
    private struct PolicyRuns: RecordedRuns {
        /// `stack`, the first member.
        var stack: JSONWriter.RecordedMembers?
        /// `pack`, `policy`, `enforcementLevel`, `severity` and `outcome`, after the resource's members.
        var head: JSONWriter.RecordedMembers?
        /// `remediation`, after the message; no members when the policy has none.
        var remediation: JSONWriter.RecordedMembers?
    }

    private static func writeFinding(_ f: Finding, _ w: inout JSONWriter, _ members: inout PolicyRecordings<PolicyRuns>) {
        w.beginObject()
        f.withOrigin { origin in
            let level = f.enforcementLevel, outcome = f.outcome
            members.select(origin, level, outcome)
            w.replay(&members.runs.stack) { $0.member(Keys.stack, origin.stack) }
            f.withResource { resource in
                guard let r = resource else { return }
                w.member(Keys.urn, r.urn)
                w.member(Keys.type, r.type)
                w.member(Keys.name, r.name)
            }
            w.replay(&members.runs.head) { r in
                r.member(Keys.pack, origin.pack)
                r.member(Keys.policy, origin.policy)
                r.member(Keys.enforcementLevel, level.rawValue)
                r.member(Keys.severity, origin.severity.rawValue)
                r.member(Keys.outcome, outcome.rawValue)
            }
            f.withMessage { w.member(Keys.message, $0) }
            w.replay(&members.runs.remediation) { r in
                if let text = origin.remediation { r.member(Keys.remediation, text) }
            }
        }
        if let fix = f.proposedFix { w.member(Keys.proposedFix, fix) }
        if let location = f.location {
            w.key(Keys.location); w.beginObject()
            w.member(Keys.file, location.file)
            if let line = location.line { w.key(Keys.line); w.number(line) }
            if let column = location.column { w.key(Keys.column); w.number(column) }
            w.endObject()
        }
        f.withFingerprintUTF8 { w.member(Keys.fingerprint, utf8: $0) }
        if let exemption = f.exemption {
            w.key(Keys.exempted); w.bool(true)
            w.member(Keys.exemptionReason, exemption.reason)
        }
        if f.baselined { w.key(Keys.baseline); w.bool(true) }
        w.endObject()
    }

    private func writeExemption(_ e: ExemptionRecord, _ w: inout JSONWriter) {
        w.beginObject()
        w.member(Keys.policy, e.policy)
        if let urn = e.urn { w.member(Keys.urn, urn) }
        if let stack = e.stack { w.member(Keys.stack, stack) }
        w.member(Keys.reason, e.reason)
        if let expires = e.expires { w.member(Keys.expires, expires) }
        w.key(Keys.expired); w.bool(e.expired)
        if let source = e.source { w.member(Keys.source, source) }
        w.endObject()
    }
}
