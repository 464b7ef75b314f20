import Foundation
import Rampart
import RampartJSON
import RampartPolicy
import RampartReports
import Testing

/// Headless Chromium driven by Selenium (Fixtures/browser/drive_html_report.py): Debian's `chromium` and
/// `chromium-driver`, PyPI's `selenium`. Where they are missing the browser tests are skipped with that reason,
/// except in CI (`CI` set), where they run and fail.
enum Browser {
    static let driver = Paths.fixtures + "/browser/drive_html_report.py"
    static let required = ProcessInfo.processInfo.environment["CI"] != nil

    static let available: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func onPath(_ names: [String]) -> Bool {
            names.contains { name in
                path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
            }
        }
        guard onPath(["chromium", "chromium-browser", "google-chrome"]), onPath(["chromedriver"]) else { return false }
        return (try? run(["python3", "-c", "import selenium"]).status) == 0
    }()

    static let skipReason: Comment = "no headless browser: install chromium and chromium-driver (apt) and selenium (pip); .ci/run does"

    /// Opens `html` in the browser and returns what the driver saw.
    static func open(_ html: [UInt8], steps: String = "[]", extra: [String] = []) throws -> JSONDocument {
        try #require(available, "the browser tests need chromium, chromium-driver and python3 selenium")
        let file = try Paths.temporaryFile(html, name: "report.html")
        let (status, output) = try run(["python3", driver, file, "--steps", steps] + extra)
        try #require(status == 0, "the browser driver failed:\n\(output.suffix(3000))")
        return try JSONDocument.parse(output)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return (process.terminationStatus, process.terminationStatus == 0 ? text : text + String(decoding: errors, as: UTF8.self))
    }
}

/// What the JSON report of the same scan says, counted independently of the HTML reporter.
struct JSONReportCounts {
    var findings = 0, exempted = 0, baselined = 0, mandatory = 0, advisory = 0
    var byOutcome: [String: Int] = [:], bySeverity: [String: Int] = [:], byStack: [String: Int] = [:]
    var stacks = 0, resources = 0

    init(_ report: ScanReport) throws {
        let doc = try JSONDocument.parse(JSONReporter().render(report))
        for stack in try #require(doc.root["stacks"]).elements {
            stacks += 1
            resources += stack["resourceCount"]?.int ?? 0
        }
        for f in try #require(doc.root["findings"]).elements {
            findings += 1
            let outcome = f["outcome"]?.string ?? "", level = f["enforcementLevel"]?.string ?? ""
            let isExempted = f["exempted"]?.bool == true, isBaselined = f["baseline"]?.bool == true
            if isExempted { exempted += 1 } else if isBaselined { baselined += 1 }
            byOutcome[outcome, default: 0] += 1
            bySeverity[f["severity"]?.string ?? "", default: 0] += 1
            byStack[f["stack"]?.string ?? "", default: 0] += 1
            if outcome == "violation" && !isExempted && !isBaselined {
                if level == "advisory" { advisory += 1 } else { mandatory += 1 }
            }
        }
    }
}

@Suite(.serialized, .enabled(if: Browser.available || Browser.required, Browser.skipReason))
struct HTMLBrowserTests {
    static func count(_ seen: JSONDocument, _ key: String) -> Int? { seen.root["counts"]?[key]?.int }

    static func shown(_ step: JSONNode?) -> Int? { step?["shown"]?.int }

    /// Each finding row's cells as the browser shows them.
    static func rows(_ step: JSONNode?) -> [[String]] {
        (step?["rows"]?.elements).map { $0.map { row in row.elements.map { $0.string ?? "" } } } ?? []
    }

    /// Text as the page shows it: the reporter replaces characters HTML forbids with U+FFFD, the parser turns
    /// CR LF into LF, and the driver trims each cell.
    static func asDisplayed(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").unicodeScalars {
            let forbidden = (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || scalar.value & 0xFFFE == 0xFFFE
            out.append(forbidden ? "\u{FFFD}" : scalar)
        }
        return String(out).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func expectCleanPage(_ seen: JSONDocument, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(seen.root["ready"]?.bool == true, "the script did not finish its first render", sourceLocation: sourceLocation)
        let console = (seen.root["console"]?.elements).map { Array($0).compactMap { $0["message"]?.string } } ?? ["(no log)"]
        #expect(console.isEmpty, "console: \(console)", sourceLocation: sourceLocation)
        let requests = (seen.root["requests"]?.elements).map { Array($0).compactMap(\.string) } ?? ["(no log)"]
        #expect(requests.isEmpty, "requests left the file: \(requests)", sourceLocation: sourceLocation)
    }

    @Test func opensCleanlyAndItsCountsMatchTheJSONReport() throws {
        let report = CanaryReport.make()
        let expected = try JSONReportCounts(report)
        let seen = try Browser.open(HTMLReporter().render(report))
        Self.expectCleanPage(seen)
        #expect(Self.count(seen, "findings") == expected.findings)
        #expect(Self.count(seen, "findings-table-total") == expected.findings)
        #expect(seen.root["shown"]?.int == expected.findings)
        #expect(Self.count(seen, "exempted") == expected.exempted)
        #expect(Self.count(seen, "baselined") == expected.baselined)
        #expect(Self.count(seen, "active") == expected.findings - expected.exempted - expected.baselined)
        #expect(Self.count(seen, "mandatory") == expected.mandatory)
        #expect(Self.count(seen, "advisory") == expected.advisory)
        #expect(Self.count(seen, "stacks") == expected.stacks)
        #expect(Self.count(seen, "resources") == expected.resources)
        for outcome in ["violation", "indeterminate", "error"] {
            #expect(Self.count(seen, outcome) == expected.byOutcome[outcome, default: 0], "\(outcome)")
        }
        for severity in Severity.allCases.map(\.rawValue) {
            #expect(Self.count(seen, "severity-" + severity) == expected.bySeverity[severity, default: 0], "\(severity)")
        }
    }

    @Test func theXSSCanaryStaysText() throws {
        let seen = try Browser.open(HTMLReporter(checklist: true).render(CanaryReport.make()),
                                    steps: #"[{"text": "onerror=alert(1)"}]"#)
        Self.expectCleanPage(seen)
        #expect(seen.root["alert"]?.isNull == true, "an alert opened: \(seen.root["alert"]?.string ?? "")")
        #expect(seen.root["pwned"]?.isNull == true)
        #expect(seen.root["images"]?.int == 0)
        // The canary is found as text: the resource named with it, and the findings whose text holds it.
        let step = seen.root["steps"]?[0]
        #expect(Self.shown(step) == 1)
        #expect(Self.rows(step).first?[5] == CanaryReport.canary + ".ts:1:2")
    }

    @Test func filtersAndSortingNarrowAndOrderTheTable() throws {
        let report = SampleReport.make()
        let expected = try JSONReportCounts(report)
        let steps = """
            [{"select": "f-severity", "value": "high"}, {"select": "f-stack", "value": "acme/web/prod"},
             {"clear": true}, {"select": "f-outcome", "value": "indeterminate"}, {"select": "f-state", "value": "exempted"},
             {"clear": true}, {"select": "f-policy", "value": "org-hardening/config-secrets-encrypted"},
             {"clear": true}, {"text": "PUBLICLY"}, {"clear": true}, {"sort": "severity"}, {"sort": "policy"}]
            """
        let seen = try Browser.open(HTMLReporter().render(report), steps: steps)
        Self.expectCleanPage(seen)
        let s = try #require(seen.root["steps"]).elements.map { $0 }
        try #require(s.count == 12)
        let high = report.findings.filter { $0.severity == .high }
        #expect(Self.shown(s[0]) == expected.bySeverity["high"])
        #expect(Self.rows(s[0]).allSatisfy { $0[0] == "high" })
        #expect(Self.shown(s[1]) == high.filter { $0.stack == "acme/web/prod" }.count)
        #expect(Self.shown(s[2]) == expected.findings)
        #expect(Self.shown(s[3]) == expected.byOutcome["indeterminate"])
        #expect(Self.shown(s[4]) == 0, "no indeterminate finding is exempted")
        #expect(Self.shown(s[6]) == 2 && s[6]["groups"]?.int == 1)
        #expect(Self.shown(s[8]) == report.findings.filter { $0.message.lowercased().contains("publicly") }.count)
        // Sorting severity ascending (the second click on the default column) puts low first; by policy, A to Z.
        #expect(Self.rows(s[10]).first?[0] == "low")
        let policies = Self.rows(s[11]).map { $0[3] }
        #expect(!policies.isEmpty && policies.first == "aws-baseline/iam-no-wildcard")
    }

    @Test func keyboardMovesBetweenRowsAndOpensDetailsAndPolicyLinksOpenTheExplanation() throws {
        let report = SampleReport.make()
        let seen = try Browser.open(HTMLReporter().render(report), extra: ["--keyboard", "--print", "--pdf"])
        Self.expectCleanPage(seen)
        // A small table prints whole: every finding and every group header, then a PDF.
        let groups = Set(report.findings.map { $0.stack + "\u{0}" + ($0.resource?.urn ?? "") }).count
        #expect(seen.root["print"]?["rows"]?.int == report.findings.count + groups)
        #expect(seen.root["print"]?["note"]?.string == "")
        #expect((seen.root["print"]?["pdfBytes"]?.int ?? 0) > 10_000)
        let keyboard = try #require(seen.root["keyboard"])
        let first = try #require(keyboard["firstRow"]?.string.flatMap { Int($0) })
        let focused = try #require(keyboard["focusedRow"]?.string.flatMap { Int($0) })
        #expect(focused > first)
        #expect(keyboard["detail"]?.string?.contains("Message") == true)
        #expect(seen.root["policyLink"]?.bool == true)
    }

    @Test func auditChecklistShowsEveryItemWithStatusEvidenceAndWhatToDo() throws {
        let report = SampleReport.make()
        let seen = try Browser.open(HTMLReporter(checklist: true).render(report))
        Self.expectCleanPage(seen)
        let rows = try #require(seen.root["checklist"]).elements.map { $0.elements.map { $0.string ?? "" } }
        let items = Checklist.items(report).flatMap(\.items)
        #expect(rows.count == items.count)
        for (row, item) in zip(rows, items) {
            #expect(row[0] == item.policy)
            #expect(row[1].hasSuffix(item.status.rawValue))
            #expect(row[2] == Self.asDisplayed(item.evidence))
            #expect(row[3] == (item.action.isEmpty ? "—" : item.action))
        }
        let notEvaluable = rows.first { $0[1].hasSuffix("not evaluable") }
        #expect(notEvaluable?[2] == "no organisation snapshot given (--org)")
    }

    @Test func aReportWithoutFindingsOpensCleanly() throws {
        let empty = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: [], packs: [], findings: [], evaluations: [],
                               exemptions: [], verdict: Verdict(failed: false, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
        let seen = try Browser.open(HTMLReporter(checklist: true).render(empty), steps: #"[{"text": "x"}]"#)
        Self.expectCleanPage(seen)
        #expect(Self.count(seen, "findings") == 0 && seen.root["shown"]?.int == 0 && seen.root["renderedRows"]?.int == 0)
    }

    @Test func withoutJavaScriptTheSummaryChecklistAndPoliciesStillRead() throws {
        let report = SampleReport.make()
        let expected = try JSONReportCounts(report)
        let seen = try Browser.open(HTMLReporter(checklist: true).render(report), extra: ["--no-javascript"])
        #expect(seen.root["ready"]?.bool == false, "the script ran although JavaScript was off")
        #expect(Self.count(seen, "findings") == expected.findings && Self.count(seen, "mandatory") == expected.mandatory)
        #expect(Self.count(seen, "severity-high") == expected.bySeverity["high"])
        for section in ["overview", "policies", "inputs"] { #expect(seen.root["visible"]?[section]?.bool == true, "\(section)") }
        #expect(seen.root["charts"]?.int == 5)
        #expect(seen.root["checklistRows"]?.int == Checklist.items(report).flatMap(\.items).count)
        // The empty table is hidden and a note says what needs the script instead.
        #expect(seen.root["table"]?.bool == false && seen.root["noScriptNote"]?.bool == true)
    }

    @Test func tenThousandFindingsRenderOnlyTheRowsInView() throws {
        let report = ManyFindingsReport.make(findings: 10_000)
        let seen = try Browser.open(HTMLReporter().render(report), steps: #"[{"text": "res-1234 fails"}, {"sort": "message"}, {"clear": true}]"#,
                                    extra: ["--print"])
        Self.expectCleanPage(seen)
        #expect(seen.root["shown"]?.int == 10_000)
        // Printing draws the table in full up to 2,000 rows and says so; afterwards only the rows in view again.
        let groups = try #require(seen.root["groups"]?.int)
        #expect(seen.root["print"]?["rows"]?.int == 2_000)
        #expect(seen.root["print"]?["note"]?.string == "Printed: the first 2000 of \(10_000 + groups) rows of the table.")
        #expect((seen.root["print"]?["rowsAfter"]?.int ?? 0) < 200)
        let rendered = try #require(seen.root["renderedRows"]?.int)
        #expect(rendered > 10 && rendered < 200)
        let matching = report.findings.filter { $0.message.contains("res-1234 fails") }.count
        #expect(matching == 4 && Self.shown(seen.root["steps"]?[0]) == matching)
    }

    @Test func realScanAndAuditOfTheSamplesOpenCleanly() throws {
        let samples = Paths.repository + "/Samples"
        let states = [samples + "/state/aws-lambda-s3-passphrase.json", samples + "/state/azure-sql-random-password.json"]
        let fixed = RunOptions(jobs: 1, today: "2026-11-26", timestamp: "2026-11-26T10:30:00Z")
        let scan = try Pipeline().run(.inputs(states), options: fixed).report
        let scanned = try Browser.open(HTMLReporter().render(scan), steps: #"[{"select": "f-pack", "value": "aws"}]"#,
                                       extra: screenshotArguments(["overview", "findings"]))
        Self.expectCleanPage(scanned)
        #expect(Self.count(scanned, "findings") == scan.findings.count && scanned.root["shown"]?.int == scan.findings.count)
        #expect(Self.shown(scanned.root["steps"]?[0]) == scan.findings.filter { $0.pack == "aws" }.count)

        // As `rampart audit --report html=…` runs it: the page is the only report asked for.
        let audit = try Pipeline().run(.audit(inputs: states, projects: [], organization: samples + "/org-snapshot.json"),
                                       options: RunOptions(reports: [ReportTarget(format: .html, path: "/dev/null")], jobs: 1,
                                                           today: "2026-11-26", timestamp: "2026-11-26T10:30:00Z")).report
        let audited = try Browser.open(HTMLReporter(checklist: true).render(audit), extra: screenshotArguments(["checklist"]))
        Self.expectCleanPage(audited)
        let rows = try #require(audited.root["checklist"]).elements.map { $0.elements.map { $0.string ?? "" } }
        let items = Checklist.items(audit).flatMap(\.items)
        #expect(rows.map { $0[0] } == items.map(\.policy))
        #expect(rows.contains { $0[1].hasSuffix("not evaluable") && $0[3] == "Give the missing evidence and run the audit again." })
        // The checklist reads the evaluations even when the page is the only report: organisation items say where they hold.
        #expect(rows.contains { $0[0] == "sso-enforced" && $0[2] == "holds in the organisation snapshot" })
    }

    /// With `RAMPART_RECORD_SCREENSHOTS=1`, the test that calls it writes docs/images/html-<section>.png.
    func screenshotArguments(_ sections: [String]) -> [String] {
        ProcessInfo.processInfo.environment["RAMPART_RECORD_SCREENSHOTS"] == "1"
            ? ["--screenshots", Paths.repository + "/docs/images", "--sections", sections.joined(separator: ",")] : []
    }
}

/// The figures in docs/performance.md: file size, time to open (navigation start to the first rendered table)
/// and to filter and sort, at 1,000, 10,000 and 100,000 findings. Opt-in (`RAMPART_HTML_PERF=1`): it takes
/// minutes and its numbers depend on the machine; it asserts only that each page opened cleanly.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["RAMPART_HTML_PERF"] == "1" && Browser.available,
                             "measurement only: run with RAMPART_HTML_PERF=1 where a headless browser is installed"))
struct HTMLPerformanceMeasurement {
    @Test(arguments: [1_000, 10_000, 100_000])
    func measure(findings: Int) throws {
        let report = ManyFindingsReport.make(findings: findings)
        let clock = ContinuousClock()
        var html: [UInt8] = []
        let render = clock.measure { html = HTMLReporter().render(report) }
        let json = JSONReporter().render(report)
        let seen = try Browser.open(html, steps: #"[{"select": "f-severity", "value": "high"}, {"text": "res-12"}, {"clear": true}, {"sort": "policy"}]"#)
        HTMLBrowserTests.expectCleanPage(seen)
        let steps = try #require(seen.root["steps"]).elements.map { $0["ms"]?.number ?? -1 }
        let line = String(format: "html-perf findings=%d htmlBytes=%d jsonBytes=%d renderSwiftMs=%.0f openMs=%d wallMs=%d severityFilterMs=%.0f textFilterMs=%.0f clearMs=%.0f sortMs=%.0f renderedRows=%d",
                          findings, html.count, json.count, Double(render.components.attoseconds) / 1e15 + Double(render.components.seconds) * 1000,
                          seen.root["renderMs"]?.int ?? -1, seen.root["wallMs"]?.int ?? -1, steps[0], steps[1], steps[2], steps[3],
                          seen.root["renderedRows"]?.int ?? -1)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-html-perf.txt").path
        let previous = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        try (previous + line + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        #expect(seen.root["shown"]?.int == findings)
    }
}
