import RampartJSON
import RampartPolicy

/// The `junit` report, in the strict Apache Ant form (valid against the Ant JUnit XSD, so every CI reader
/// accepts it): one `testsuite` per (stack, pack), one `testcase` per (policy, subject) evaluated.
///
/// Case outcomes: a mandatory (or remediate) violation is a `failure`; an advisory one passes and its message is
/// listed in the suite's `system-out` (or fails, with `junitAdvisory: .failure`); not-applicable, exempted and
/// baselined violations are `skipped` with the reason; indeterminate is `skipped` (or a failure, with
/// `junitIndeterminate: .failure`); a policy error is an `error`. The schema allows no output inside a test case,
/// so everything a reader needs is in the `message` attribute and the element's text.
public struct JUnitReporter: Reporter {
    public static let format = "junit"
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    private enum Result {
        case passed
        case failure(message: String, type: String, body: String)
        case error(message: String, body: String)
        case skipped(String)
    }

    private struct Suite {
        var stackIndex: Int
        var stackName: String
        var pack: String
        var cases: [Int] = []
    }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Streams the report: the XML buffer is handed to `output` whenever it passes the chunk size.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        let cases = ReportCases(report)
        let names = JUnitNames.assign(cases)
        let suites = suites(report, cases)
        let timestamp = JUnitReporter.timestamp(report.timestamp)
        let hostname = JUnitNames.token(options.hostname).isEmpty ? "localhost" : JUnitNames.token(options.hostname)

        var xml = XMLWriter()
        xml.start("testsuites")
        for (id, suite) in suites.enumerated() {
            let parts = judge(suite, cases, workers: output.workers)
            let written = parts.reduce(0) { $0 + $1.written.count }, omitted = parts.reduce(0) { $0 + $1.omitted }
            let failures = parts.reduce(0) { $0 + $1.failures }, errors = parts.reduce(0) { $0 + $1.errors }
            let skipped = parts.reduce(0) { $0 + $1.skipped }
            xml.start("testsuite", [
                ("package", JUnitNames.token(suite.stackName).isEmpty ? "rampart" : JUnitNames.token(suite.stackName)),
                ("id", String(id)),
                ("name", JUnitNames.token(suite.pack + " on " + suite.stackName)),
                ("timestamp", timestamp),
                ("hostname", hostname),
                ("tests", String(written)),
                ("failures", String(failures)),
                ("errors", String(errors)),
                ("skipped", String(skipped)),
                ("time", "0"),
            ])
            xml.start("properties")
            for (name, value) in properties(report, suite, omitted: omitted) {
                xml.element("property", [("name", name), ("value", value)])
            }
            xml.end()
            for part in parts {
                output.writeElements(part.written, to: &xml) { [self] in writeCase(Int($0.index), part.result($0), names: names, to: &$1) }
            }
            // The advisory lines, streamed as the cases are: a dense scan's run to tens of megabytes.
            xml.start("system-out")
            for part in parts {
                output.writeElements(part.advisories, to: &xml) { [self] i, xml in
                    let c = cases[Int(i)]
                    if let f = c.finding { appendAdvisoryLine(c, f, to: &xml) }
                }
            }
            xml.end()
            xml.element("system-err", text: "")
            xml.end()
        }
        if !report.inputFailures.isEmpty {
            writeInputFailures(report.inputFailures, id: suites.count, timestamp: timestamp, hostname: hostname, to: &xml)
        }
        xml.end()
        output.finish(&xml)
    }

    /// What a slice of a suite's cases comes to: the cases to write, counted by kind; the cases whose advisory lines
    /// make the slice's part of the suite's `system-out`; and how many passing cases are left out.
    private struct JudgedCases: Sendable {
        /// Each case to write, in order: its index, and the index of its result in `results`, or -1 for a pass
        /// (eight bytes a case: a large scan writes hundreds of thousands, nearly all passes).
        var written: [(index: Int32, result: Int32)] = []
        var results: [Result] = []
        var advisories: [Int32] = []
        var omitted = 0, failures = 0, errors = 0, skipped = 0

        mutating func write(_ i: Int, _ result: Result) {
            if case .passed = result {
                written.append((Int32(i), -1))
            } else {
                written.append((Int32(i), Int32(results.count)))
                results.append(result)
            }
        }

        func result(_ written: (index: Int32, result: Int32)) -> Result {
            written.result < 0 ? .passed : results[Int(written.result)]
        }
    }

    /// A suite's cases judged a slice per worker, in case order.
    private func judge(_ suite: Suite, _ cases: ReportCases, workers: Int) -> [JudgedCases] {
        let tasks = Parallel.taskCount(items: suite.cases.count, workers: workers, minimum: 4096)
        return Parallel.map(tasks, workers: workers) { task in
            var part = JudgedCases()
            for i in suite.cases[Parallel.slice(task, of: tasks, items: suite.cases.count)] {
                // A pass needs nothing more from its case (most cases of a scan), so none is built for it.
                if cases.outcome(i) == .pass {
                    if options.junitPasses == .none { part.omitted += 1 } else { part.write(i, .passed) }
                    continue
                }
                let c = cases[i]
                let result = result(c)
                switch result {
                case .passed:
                    if c.outcome == .violation, c.finding != nil { part.advisories.append(Int32(i)) }
                    if options.junitPasses == .none { part.omitted += 1; continue }
                case .failure: part.failures += 1
                case .error: part.errors += 1
                case .skipped: part.skipped += 1
                }
                part.write(i, result)
            }
            return part
        }
    }

    /// One `testcase` element.
    private func writeCase(_ i: Int, _ result: Result, names: JUnitNames, to xml: inout XMLWriter) {
        let name: (StaticString, XMLWriter.AttributeValue) = ("name", names.name(i))
        let classname: (StaticString, XMLWriter.AttributeValue) = ("classname", names.classname(i))
        let time: (StaticString, XMLWriter.AttributeValue) = ("time", JUnitReporter.zero)
        switch result {
        case .passed:
            xml.element("testcase", name, classname, time)
        case .failure(let message, let type, let body):
            xml.start("testcase", name, classname, time)
            xml.element("failure", [("message", message), ("type", type)], text: body)
            xml.end()
        case .error(let message, let body):
            xml.start("testcase", name, classname, time)
            xml.element("error", [("message", message), ("type", "policy-error")], text: body)
            xml.end()
        case .skipped(let message):
            xml.start("testcase", name, classname, time)
            xml.element("skipped", [("message", message)])
            xml.end()
        }
    }

    /// A case's `time`: Rampart does not time policies one case at a time.
    private static let zero = XMLWriter.AttributeValue("0")

    /// Inputs that could not be read, as one suite of `error` cases (a test tab shows the run incomplete).
    private func writeInputFailures(_ failures: [InputFailure], id: Int, timestamp: String, hostname: String,
                                    to xml: inout XMLWriter) {
        xml.start("testsuite", [
            ("package", "rampart"), ("id", String(id)), ("name", "inputs"), ("timestamp", timestamp),
            ("hostname", hostname), ("tests", String(failures.count)), ("failures", "0"),
            ("errors", String(failures.count)), ("skipped", "0"), ("time", "0"),
        ])
        xml.start("properties")
        xml.end()
        for failure in failures {
            xml.start("testcase", [("name", JUnitNames.token(failure.file)), ("classname", "rampart.inputs"), ("time", "0")])
            xml.element("error", [("message", "input not read"), ("type", "input-error")], text: failure.message)
            xml.end()
        }
        xml.element("system-out", text: "")
        xml.element("system-err", text: "")
        xml.end()
    }

    // MARK: - Suites

    /// Every (stack, pack) pair: each scanned stack with every reported pack (a pack with nothing applicable still
    /// shows it ran), plus any pair only cases name; in stack order, then pack order.
    private func suites(_ report: ScanReport, _ cases: ReportCases) -> [Suite] {
        struct Key: Hashable {
            var stack: Int
            var pack: String
        }
        var byKey: [Key: Int] = [:]
        var suites: [Suite] = []
        func key(_ stack: Int, _ pack: String) -> Key { Key(stack: stack, pack: pack) }
        for (s, stack) in report.stacks.enumerated() {
            for pack in report.packs where !pack.policies.isEmpty {
                byKey[key(s, pack.name)] = suites.count
                suites.append(Suite(stackIndex: s, stackName: stack.name, pack: pack.name))
            }
        }
        // Consecutive cases mostly share their suite: remember the last one rather than hash every case's key.
        var last: (key: Key, suite: Int)?
        for i in cases.indices {
            let (stack, pack) = cases.suiteKey(i)
            let k = key(stack, pack)
            let suite: Int
            if let last, last.key == k {
                suite = last.suite
            } else if let known = byKey[k] {
                suite = known
            } else {
                suite = suites.count
                byKey[k] = suite
                suites.append(Suite(stackIndex: stack, stackName: cases.stackName(i), pack: pack))
            }
            last = (k, suite)
            suites[suite].cases.append(i)
        }
        let packOrder = Dictionary(report.packs.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        return suites.enumerated().sorted { a, b in
            let ka = (a.element.stackIndex, packOrder[a.element.pack] ?? Int.max, a.element.pack, a.offset)
            let kb = (b.element.stackIndex, packOrder[b.element.pack] ?? Int.max, b.element.pack, b.offset)
            return ka < kb
        }.map(\.element)
    }

    private func properties(_ report: ScanReport, _ suite: Suite, omitted: Int) -> [(String, String)] {
        var props: [(String, String)] = [("rampart.version", report.tool.version), ("stack", suite.stackName)]
        if suite.stackIndex < report.stacks.count {
            let stack = report.stacks[suite.stackIndex]
            props.append(("stack.source", stack.source))
            props.append(("stack.kind", stack.kind))
        }
        props.append(("pack", suite.pack))
        if let pack = report.packs.first(where: { $0.name == suite.pack }) { props.append(("pack.version", pack.version)) }
        if options.junitPasses == .none { props.append(("passes-omitted", String(omitted))) }
        return props
    }

    // MARK: - Cases

    private func result(_ c: ReportCase) -> Result {
        switch c.outcome {
        case .pass:
            return .passed
        case .notApplicable:
            return .skipped("not applicable" + (c.reason.map { ": " + $0 } ?? ""))
        case .violation:
            guard let f = c.finding else { return .failure(message: "violation", type: typeText(c), body: "") }
            if let e = f.exemption {
                var text = "exempted: " + e.reason
                if let expires = e.expires { text += " (until \(expires))" }
                if let source = e.source { text += " [\(source)]" }
                return .skipped(text)
            }
            if f.baselined { return .skipped("in baseline: " + f.message) }
            if c.isMandatory || options.junitAdvisory == .failure {
                return .failure(message: f.message, type: typeText(c), body: body(c, f))
            }
            return .passed
        case .indeterminate:
            let reason = c.finding?.message ?? c.reason ?? "a value needed is not known"
            if options.junitIndeterminate == .failure, let f = c.finding {
                return .failure(message: "indeterminate: " + reason, type: "indeterminate, \(c.severity.rawValue)", body: body(c, f))
            }
            return .skipped("indeterminate: " + reason)
        case .error:
            let message = c.finding?.message ?? c.reason ?? "policy error"
            return .error(message: message, body: c.finding.map { body(c, $0) } ?? message)
        }
    }

    /// `mandatory, high`: the level and severity CI tools show as the failure type.
    private func typeText(_ c: ReportCase) -> String { "\(c.level.rawValue), \(c.severity.rawValue)" }

    private func body(_ c: ReportCase, _ f: Finding) -> String {
        var lines: [String] = []
        if let subject = c.subject { lines.append("URN: " + subject.urn) }
        lines.append("Stack: " + c.stackName)
        lines.append("Policy: \(c.pack)/\(c.policy) (\(c.level.rawValue), \(c.severity.rawValue))")
        lines.append("Message: " + f.message)
        if let location = f.location { lines.append("Location: " + location.display) }
        if let remediation = f.remediation { lines.append("Remediation: " + remediation) }
        if let fix = f.proposedFix { lines.append("Proposed fix: " + fix) }
        return lines.joined(separator: "\n")
    }

    /// `ADVISORY [severity] pack/policy type name (urn): message` and a newline, written as element text: the line
    /// straight into the output, escaped after if it needs it.
    private func appendAdvisoryLine(_ c: ReportCase, _ f: Finding, to xml: inout XMLWriter) {
        xml.text { line in
            line.append("ADVISORY ["); line.append(utf8: c.severity.rawValue); line.append("] "); line.append(utf8: c.pack)
            line.append("/"); line.append(utf8: c.policy)
            if let subject = c.subject {
                line.append(" "); line.append(utf8: subject.type); line.append(" "); line.append(utf8: subject.name)
                line.append(" ("); line.append(utf8: subject.urn); line.append(")")
            } else {
                line.append(" stack "); line.append(utf8: c.stackName)
            }
            line.append(": "); line.append(utf8: f.message); line.append("\n")
        }
    }

    /// The schema's zone-less `YYYY-MM-DDTHH:MM:SS`. The report's timestamp is UTC (RFC 3339), so dropping the
    /// zone and any fraction keeps the instant.
    static func timestamp(_ rfc3339: String) -> String {
        let prefix = Array(rfc3339.utf8.prefix(19))
        let shape = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard prefix.count == 19 else { return "1970-01-01T00:00:00" }
        for (c, s) in zip(prefix, shape) {
            if s == UInt8(ascii: "d") ? !(0x30...0x39).contains(c) : c != s { return "1970-01-01T00:00:00" }
        }
        return String(decoding: prefix, as: UTF8.self)
    }
}
