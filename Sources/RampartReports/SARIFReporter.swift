import RampartJSON
import RampartPolicy

/// The `sarif` report: one SARIF 2.1.0 run for GitHub code scanning and other SARIF viewers.
///
/// Rules: every reported policy, id `pack/policy`, with GitHub's `security-severity`. Results: every finding
/// (violations, indeterminate outcomes, policy errors) with the URN as a logical location and a physical one:
/// the finding's own file position when known (config lint, a resource's `sourcePosition`), else the input file
/// the stack was read from — GitHub rejects a whole upload when one result has no artifact location.
/// Exempted findings carry an `external` suppression with the exemption's reason (GitHub shows them dismissed).
/// Baselined findings carry `baselineState: unchanged` and stay open alerts: a baseline stops them failing the
/// gate, it does not make them acceptable, and that is what `unchanged` (rather than a suppression) says.
public struct SARIFReporter: Reporter {
    public static let format = "sarif"
    /// `tool.driver.informationUri`: the project's public home. nil until it has one, so no invented address ships.
    public static let informationURI: String? = nil
    /// Key of the fingerprint in `partialFingerprints`; the version changes if the fingerprint recipe ever does.
    public static let fingerprintKey = "rampartFingerprint/v1"

    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Streams the log: results are built and written one finding at a time (a batch of findings per thread with
    /// several workers), and the writer's buffer is handed to `output` whenever it passes the chunk size. Members
    /// are in byte order of their names, as ever.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        var rules: [SARIF.Rule] = []
        var ruleIndex: [String: Int] = [:]
        for pack in report.packs {
            for policy in pack.policies {
                let id = pack.name + "/" + policy.name
                guard ruleIndex[id] == nil else { continue }
                ruleIndex[id] = rules.count
                rules.append(rule(pack, policy))
            }
        }
        // Each finding's rule, in one pass: consecutive findings mostly share it, and a rule id is made (a string
        // built and hashed) only for a pack and policy not met before. A finding whose policy the report does not
        // list (hand-built reports) still needs a rule to point at.
        var findingRules = [Int](repeating: 0, count: report.findings.count)
        var rulesByName: [PolicyName: Int] = [:]
        var ruleOf = LastLookup<PolicyName, Int>()
        for (i, f) in report.findings.enumerated() {
            findingRules[i] = ruleOf.value(PolicyName(f)) { name in
                if let known = rulesByName[name] { return known }
                let index: Int
                if let listed = ruleIndex[f.ruleID] {
                    index = listed
                } else {
                    index = rules.count
                    ruleIndex[f.ruleID] = index
                    let policy = PolicySummary(name: f.policy, description: f.policy, enforcementLevel: f.enforcementLevel,
                                               severity: f.severity, remediation: f.remediation)
                    rules.append(rule(PackSummary(name: f.pack, version: "", description: "", policies: []), policy))
                }
                rulesByName[name] = index
                return index
            }
        }
        // Each stack's file as a URI, made once (building a URI costs more than writing a result): where a
        // finding without a source position points.
        let defaultURI = report.inputs.first.map(SARIFReporter.uri)
        var stackURIs: [String: String] = [:]
        for stack in report.stacks where stackURIs[stack.name] == nil { stackURIs[stack.name] = SARIFReporter.uri(stack.source) }
        let failures = report.inputFailures.map {
            SARIF.Notification(level: "error", message: SARIF.Message(text: $0.message),
                               locations: [SARIF.Location(physicalLocation: SARIF.PhysicalLocation(uri: SARIFReporter.uri($0.file)))])
        }
        let notifications = failures + report.notices.map {
            SARIF.Notification(level: "note", message: SARIF.Message(text: $0.message),
                               locations: [SARIF.Location(physicalLocation: SARIF.PhysicalLocation(uri: SARIFReporter.uri($0.source)))])
        }
        let invocation = SARIF.Invocation(executionSuccessful: report.inputFailures.isEmpty, endTimeUtc: report.timestamp,
                                          toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
        let properties = SARIF.RunProperties(verdict: SARIF.Verdict(failed: report.verdict.failed, exitCode: report.verdict.exitCode,
                                                                    failOn: report.verdict.failOn.rawValue),
                                             stacks: report.stacks.map(\.name))

        var w = JSONWriter(style: .pretty(indent: 2))
        w.beginObject()
        w.member(SARIFKey.schema, SARIF.schema)
        w.key(SARIFKey.runs); w.beginArray()
        w.beginObject()
        w.member(SARIFKey.invocations, one: invocation)
        w.member(SARIFKey.properties, properties)
        w.key(SARIFKey.results); w.beginArray()
        // Results are rendered a batch per thread (`ReportOutput.writeElements`): the same bytes as one thread's.
        let findings = report.findings, rulesOfFindings = findingRules, uris = stackURIs, ruleIDs = rules.map(\.id)
        let ahead: @Sendable (Int) -> Void = { i in findings.withUnsafeBufferPointer { Finding.prefetchAhead(of: i, in: $0) } }
        output.writeElements(findings.indices, to: &w, ahead: ahead, memo: { ResultMembers() }) { [self] i, w, members in
            let f = findings[i], rule = rulesOfFindings[i]
            writeResult(f, rule: (ruleIDs[rule], rule), fallbackURI: uris[f.stack] ?? defaultURI, to: &w, members: &members)
        }
        w.endArray()
        w.member(SARIFKey.tool, SARIF.Tool(driver: SARIF.Driver(name: report.tool.name, version: report.tool.version,
                                                         informationUri: SARIFReporter.informationURI, rules: rules)))
        w.endObject()
        w.endArray()
        w.member(SARIFKey.version, SARIF.version)
        w.endObject()
        output.finish(&w)
    }

    // MARK: - Rules

    /// GitHub's `security-severity` scale: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        }
    }

    static func level(_ level: EnforcementLevel) -> String {
        level == .mandatory || level == .remediate ? "error" : "warning"
    }

    private func rule(_ pack: PackSummary, _ policy: PolicySummary) -> SARIF.Rule {
        let description = policy.description.isEmpty ? policy.name : policy.description
        var full = description
        if !policy.frameworks.isEmpty {
            full += " Controls: " + policy.frameworks.map(frameworkText).joined(separator: "; ") + "."
        }
        var tags = ["security", pack.name]
        for f in policy.frameworks {
            let tag = frameworkText(f)
            if !tags.contains(tag) { tags.append(tag) }
        }
        let remediation = policy.remediation ?? "See the policy description: \(description)"
        var markdown = "**\(MarkdownText.escape(description))**\n\n**Remediation:** \(MarkdownText.escape(remediation))\n"
        if !policy.frameworks.isEmpty {
            markdown += "\n| Framework | Control |\n|---|---|\n"
            for f in policy.frameworks {
                markdown += "| \(MarkdownText.escape(f.name + (f.version.map { " " + $0 } ?? ""))) | \(MarkdownText.escape(f.control ?? "")) |\n"
            }
        }
        markdown += "\nPack `\(MarkdownText.escape(pack.name))`" + (pack.version.isEmpty ? "" : " \(MarkdownText.escape(pack.version))")
            + ", effective level \(policy.enforcementLevel.rawValue), severity \(policy.severity.rawValue).\n"
        return SARIF.Rule(
            id: pack.name + "/" + policy.name, name: policy.name,
            shortDescription: SARIF.Message(text: description),
            fullDescription: SARIF.Message(text: full),
            help: SARIF.MultiformatMessage(text: remediation, markdown: markdown),
            level: SARIFReporter.level(policy.enforcementLevel),
            properties: SARIF.RuleProperties(securitySeverity: SARIFReporter.securitySeverity(policy.severity), tags: tags,
                                             severity: policy.severity.rawValue, pack: pack.name))
    }

    private func frameworkText(_ f: FrameworkReference) -> String {
        f.name + (f.version.map { " " + $0 } ?? "") + (f.control.map { " " + $0 } ?? "")
    }

    // MARK: - Results

    /// What consecutive results repeat word for word, recorded once and copied into each: the properties and the
    /// rule's id and index of one policy at one level and outcome (`PolicyRecordings`, under the policy's rule), and
    /// the stack's file of a finding without a position of its own.
    private struct ResultMembers {
        var policy = PolicyRecordings<PolicyRuns>()
        /// The file `fallback` names.
        var fallbackURI: String?
        /// `physicalLocation` naming `fallbackURI`.
        var fallback: JSONWriter.RecordedMembers?
        /// Where a result's message is put together, emptied for each (a buffer of its own per result cost an
        /// allocation and a release, 40 % of the message's instructions).
        var text = OutputRoom(capacity: 512)
    }

    private struct PolicyRuns: RecordedRuns {
        /// `enforcementLevel` and `outcome`, the first members of `properties`.
        var head: JSONWriter.RecordedMembers?
        /// `remediation`, `severity` and `stack`, after the proposed fix if any.
        var tail: JSONWriter.RecordedMembers?
        /// `ruleId` and `ruleIndex`.
        var rule: JSONWriter.RecordedMembers?
    }

    /// Writes a finding's result member by member, in byte order of the names. (Built as a value first, its
    /// strings copied in and its message put together as a `String`, a result cost a third more.) `rule`: the id
    /// and index of the finding's rule in the driver's `rules`.
    private func writeResult(_ f: Finding, rule: (id: String, index: Int), fallbackURI: String?, to w: inout JSONWriter,
                             members: inout ResultMembers) {
        w.beginObject()
        if f.baselined { w.member(SARIFKey.baselineState, "unchanged") }
        let level: String
        switch f.outcome {
        case .violation: level = SARIFReporter.level(f.enforcementLevel)
        case .indeterminate: level = "note"
        default: level = "error"
        }
        w.member(SARIFKey.level, level)
        f.withOrigin { origin in
            f.withResource { resource in
                w.key(SARIFKey.locations); w.beginArray()
                w.beginObject()
                w.key(SARIFKey.logicalLocations); w.beginArray()
                w.beginObject()
                if let r = resource {
                    w.member(SARIFKey.fullyQualifiedName, r.urn)
                    w.member(SARIFKey.kind, "resource")
                    w.member(SARIFKey.name, r.name)
                } else {
                    w.member(SARIFKey.fullyQualifiedName, origin.stack)
                    w.member(SARIFKey.kind, "stack")
                    w.member(SARIFKey.name, origin.stack)
                }
                w.endObject()
                w.endArray()
                if let location = f.location {
                    let region = location.line.flatMap { $0 >= 1 ? SARIF.Region(startLine: $0, startColumn: location.column.flatMap { $0 >= 1 ? $0 : nil }) : nil }
                    let file = options.sourcePaths?.repositoryPath(location.file, stack: origin.stack) ?? location.file
                    w.member(SARIFKey.physicalLocation, SARIF.PhysicalLocation(uri: SARIFReporter.uri(file), region: region))
                } else if let fallbackURI {
                    if members.fallbackURI != fallbackURI { (members.fallbackURI, members.fallback) = (fallbackURI, nil) }
                    w.replay(&members.fallback) { $0.member(SARIFKey.physicalLocation, SARIF.PhysicalLocation(uri: fallbackURI)) }
                }
                w.endObject()
                w.endArray()

                // `type name: message` for a resource's finding.
                w.key(SARIFKey.message); w.beginObject()
                f.withMessage { message in
                    members.text.truncate(to: 0)
                    if let r = resource {
                        members.text.append(utf8: r.type); members.text.append(" ")
                        members.text.append(utf8: r.name); members.text.append(": ")
                    } else if f.outcome == .indeterminate {
                        members.text.append("Not evaluable: ")
                    } else {
                        w.member(SARIFKey.text, message)
                        return
                    }
                    members.text.append(utf8: message)
                    members.text.withBytes { w.member(SARIFKey.text, utf8: $0) }
                }
                w.endObject()
            }
            w.key(SARIFKey.partialFingerprints); w.beginObject()
            f.withFingerprintUTF8 { w.member(SARIFKey.fingerprint, utf8: $0) }
            w.endObject()
            w.key(SARIFKey.properties); w.beginObject()
            let (enforcement, outcome) = (f.enforcementLevel, f.outcome)
            members.policy.select(origin, enforcement, outcome, rule: rule.index)
            w.replay(&members.policy.runs.head) { r in
                r.member(SARIFKey.enforcementLevel, enforcement.rawValue)
                r.member(SARIFKey.outcome, outcome.rawValue)
            }
            if let fix = f.proposedFix { w.member(SARIFKey.proposedFix, fix) }
            w.replay(&members.policy.runs.tail) { r in
                if let remediation = origin.remediation { r.member(SARIFKey.remediation, remediation) }
                r.member(SARIFKey.severity, origin.severity.rawValue)
                r.member(SARIFKey.stack, origin.stack)
            }
            w.endObject()
            w.replay(&members.policy.runs.rule) { r in
                r.member(SARIFKey.ruleId, rule.id)
                r.key(SARIFKey.ruleIndex); r.number(rule.index)
            }
        }
        if let exemption = f.exemption {
            w.member(SARIFKey.suppressions, one: SARIF.Suppression(kind: "external", status: "accepted", justification: exemption.reason))
        }
        w.endObject()
    }

    /// A file path as a URI reference: relative paths stay relative (GitHub resolves them against the checkout),
    /// absolute ones become `file://` URIs; characters outside RFC 3986's unreserved set and `/` are
    /// percent-encoded.
    static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
