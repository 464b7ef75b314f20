import Foundation
import RampartPolicy
@testable import RampartReports
import Testing

@Suite struct JUnitReporterTests {
    static let options = ReportOptions(hostname: "ci-runner")

    static func render(_ report: ScanReport = SampleReport.make(), _ options: ReportOptions = options) throws -> String {
        let bytes = JUnitReporter(options: options).render(report)
        let errors = try XMLChecker.junitErrors(bytes)
        #expect(errors == nil, "JUnit output is not valid against the Ant XSD:\n\(errors ?? "")")
        return bytes.text
    }

    /// (classname, name) pairs in document order.
    static func caseKeys(_ xml: String) -> [String] {
        xml.matches(of: /<testcase name="([^"]*)" classname="([^"]*)"/).map { "\($0.output.2) \($0.output.1)" }
    }

    @Test func matchesSnapshotAndSchema() throws {
        let bytes = JUnitReporter(options: Self.options).render(SampleReport.make())
        #expect(try XMLChecker.junitErrors(bytes) == nil)
        try Snapshot.assertMatches(bytes, named: "junit-default.xml")
    }

    @Test func rendersOneSuitePerStackAndPackWithCounts() throws {
        let xml = try Self.render()
        let suites = xml.matches(of: /<testsuite package="([^"]*)" id="(\d+)" name="([^"]*)"[^>]* tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/)
            .map { "\($0.output.2) \($0.output.3) \($0.output.4)/\($0.output.5)/\($0.output.6)/\($0.output.7)" }
        #expect(suites == [
            "0 aws-baseline on acme/web/dev 2/0/0/2",     // baselined violation and indeterminate are skipped
            "1 org-hardening on acme/web/dev 0/0/0/0",    // the pack ran; nothing applied
            "2 aws-baseline on acme/web/prod 6/1/1/2",    // one mandatory failure, one error, n/a + exempted skipped
            "3 org-hardening on acme/web/prod 3/2/0/1",
        ])
    }

    @Test func mandatoryViolationIsFailureWithTypeAndBody() throws {
        let xml = try Self.render()
        // A stack-level subject has no URN line.
        #expect(xml.contains(#"<failure message="Config value web:dbPassword looks like a credential and is not secure." type="mandatory, high">Stack: acme/web/prod\#nPolicy: org-hardening/config-secrets-encrypted (mandatory, high)"#))
        #expect(xml.contains("Remediation: pulumi config set --secret KEY"))
        #expect(xml.contains("URN: urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs\nStack: acme/web/prod\nPolicy: aws-baseline/s3-encrypted (mandatory, high)"))
    }

    @Test func advisoryViolationPassesAndIsListedInSystemOut() throws {
        let xml = try Self.render()
        #expect(xml.contains(#"<testcase name="urn:pulumi:prod::web::aws:rds/instance:Instance::db" classname="aws-baseline.rds-public" time="0"/>"#))
        #expect(xml.contains("<system-out>ADVISORY [critical] aws-baseline/rds-public aws:rds/instance:Instance db (urn:pulumi:prod::web::aws:rds/instance:Instance::db): Instance is publicly accessible.\n</system-out>"))
    }

    @Test func advisoryViolationFailsWhenAsked() throws {
        var options = Self.options
        options.junitAdvisory = .failure
        let xml = try Self.render(SampleReport.make(), options)
        #expect(xml.contains(#"<failure message="Instance is publicly accessible." type="advisory, critical">"#))
        #expect(xml.contains("<system-out></system-out>"))
    }

    @Test func indeterminateIsSkippedByDefaultAndFailsWhenAsked() throws {
        let skipped = try Self.render()
        #expect(skipped.contains(#"<skipped message="indeterminate: publiclyAccessible is not known until the preview is applied"/>"#))
        var options = Self.options
        options.junitIndeterminate = .failure
        let failed = try Self.render(SampleReport.make(), options)
        #expect(failed.contains(#"<failure message="indeterminate: publiclyAccessible is not known until the preview is applied" type="indeterminate, critical">"#))
    }

    @Test func notApplicableExemptedBaselinedAndErrorOutcomes() throws {
        let xml = try Self.render()
        #expect(xml.contains(#"<skipped message="not applicable: bucket is a replication target &lt;managed elsewhere&gt;"/>"#))
        #expect(xml.contains(#"<skipped message="exempted: receives only ALB access logs (until 2027-03-31) [rampart.yaml:12:5]"/>"#))
        #expect(xml.contains(#"<skipped message="in baseline: Bucket has no server-side encryption."/>"#))
        #expect(xml.contains(#"<error message="policy failed: index out of range" type="policy-error">"#))
    }

    @Test func dropsPassingCasesWhenAsked() throws {
        var options = Self.options
        options.junitPasses = .none
        let xml = try Self.render(SampleReport.make(), options)
        #expect(!xml.contains(#"time="0"/>"#), "a passing test case is still listed")
        #expect(xml.contains(#"<property name="passes-omitted" value="2"/>"#))  // rds-public replica pass + advisory db
        #expect(xml.contains("ADVISORY [critical] aws-baseline/rds-public"), "advisory messages stay in system-out")
        #expect(xml.contains(#"name="aws-baseline on acme/web/prod" timestamp="2026-11-26T10:30:00" hostname="ci-runner" tests="4" failures="1" errors="1" skipped="2""#))
    }

    @Test func caseNamesAreUniqueAndQualifiedOnlyWhenTheyCollide() throws {
        let keys = Self.caseKeys(try Self.render())
        #expect(Set(keys).count == keys.count, "duplicate (classname, name): \(keys)")
        // Unique type + name: kept short.
        #expect(keys.contains("aws-baseline.rds-public aws:rds/instance:Instance replica"))
        #expect(keys.contains("aws-baseline.iam-no-wildcard aws:iam/role:Role deployer"))
        // Two buckets "logs" in prod (different parents) and one in dev: every member of the group gets its URN.
        #expect(keys.contains("aws-baseline.s3-encrypted urn:pulumi:dev::web::aws:s3/bucket:Bucket::logs"))
        #expect(keys.contains("aws-baseline.s3-encrypted urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs"))
        #expect(keys.contains("aws-baseline.s3-encrypted urn:pulumi:prod::web::custom:index:Site$aws:s3/bucket:Bucket::logs"))
        // Two stack-level outcomes of one policy: told apart by their location.
        #expect(keys.contains("org-hardening.config-secrets-encrypted stack acme/web/prod @ Pulumi.prod.yaml:7:3"))
        #expect(keys.contains("org-hardening.config-secrets-encrypted stack acme/web/prod @ Pulumi.prod.yaml:4:3"))
        #expect(keys.contains("org-hardening.sso-enforced stack acme/web/prod"))
    }

    @Test func identicalSubjectsFallBackToOrdinals() throws {
        // The same stack scanned twice from two files: same URN, same stack name — only an ordinal tells them apart.
        var report = SampleReport.make()
        report.stacks.append(report.stacks[1])
        report.evaluations.append(contentsOf: report.evaluations.filter { $0.stack == 1 && $0.outcome == .pass }.map {
            var e = $0; e.stack = 2; return e
        })
        let keys = Self.caseKeys(try Self.render(report))
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains("aws-baseline.rds-public urn:pulumi:prod::web::aws:rds/instance:Instance::replica [acme/web/prod] #1"))
        #expect(keys.contains("aws-baseline.rds-public urn:pulumi:prod::web::aws:rds/instance:Instance::replica [acme/web/prod] #2"))
    }

    @Test func caseNamesOfALargeReportAreTheOnesTheRuleGives() throws {
        // Two stacks and a copy of one (same name), resources of a few types and names under different parents,
        // names with runs of spaces, two policies whose class names read the same, and stack-level cases: every
        // qualification step and the ordinals are needed.
        let types = ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "kubernetes:apps/v1:Deployment"]
        let names = ["logs", "web", "a  b", "a b", "db"]
        func stack(_ name: String, _ project: String) -> StackSummary {
            let resources = (0..<300).map { k in
                let type = types[k % types.count], name = names[(k / 3) % names.count]
                return ResourceRef(urn: "urn:pulumi:\(project)::web::parent\(k % 7)$\(type)::\(name)", type: type, name: name)
            }
            return StackSummary(name: name, source: "\(project).json", kind: "state-export", resourceCount: resources.count,
                                resources: resources)
        }
        let stacks = [stack("acme/web/prod", "prod"), stack("acme/web/dev", "dev"), stack("acme/web/prod", "prod")]
        let policy = { (name: String) in PolicySummary(name: name, description: name, enforcementLevel: .advisory, severity: .low) }
        let packs = [PackSummary(name: "p.q", version: "1", description: "", policies: [policy("r"), policy("s")]),
                     PackSummary(name: "p", version: "1", description: "", policies: [policy("q.r")])]
        var evaluations: [Evaluation] = []
        for (s, stack) in stacks.enumerated() {
            for (p, pack) in packs.enumerated() {
                for q in pack.policies.indices {
                    evaluations.append(SampleReport.evaluation(Int32(s), Int32(p), Int32(q), -1, .pass, .advisory))
                    for r in stack.resources.indices where (r + q) % 4 != 0 {
                        evaluations.append(SampleReport.evaluation(Int32(s), Int32(p), Int32(q), Int32(r), .pass, .advisory))
                    }
                }
            }
        }
        let report = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: stacks, packs: packs, findings: [],
                                evaluations: evaluations, exemptions: [], verdict: Verdict(failed: false, failOn: .mandatory),
                                timestamp: "2026-11-26T10:30:00Z")

        // The rule, spelled out plainly: the unqualified name; then, for pairs still shared, the URN, then the stack
        // name, then the finding's location; then an ordinal.
        let cases = evaluations.map { e in
            (stack: stacks[Int(e.stack)], subject: e.resource >= 0 ? stacks[Int(e.stack)].resources[Int(e.resource)] : nil,
             classname: JUnitNames.token(packs[Int(e.pack)].name + "." + packs[Int(e.pack)].policies[Int(e.policy)].name))
        }
        var expected = cases.map { c in JUnitNames.token(c.subject.map { $0.type + " " + $0.name } ?? "stack " + c.stack.name) }
        func shared() -> [[Int]] {
            var groups: [String: [Int]] = [:]
            for (i, c) in cases.enumerated() { groups[c.classname + "\u{0}" + expected[i], default: []].append(i) }
            return groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        }
        for step in 1...3 {
            for group in shared() {
                for i in group {
                    var name = cases[i].subject?.urn ?? "stack " + cases[i].stack.name
                    if step >= 2, cases[i].subject != nil { name += " [" + cases[i].stack.name + "]" }
                    expected[i] = JUnitNames.token(name)
                }
            }
        }
        for group in shared() { for (n, i) in group.enumerated() { expected[i] += " #\(n + 1)" } }
        let keys = Self.caseKeys(try Self.render(report))
        #expect(keys.count == cases.count)
        #expect(Set(keys).count == keys.count)
        let wanted = zip(cases, expected).map { "\($0.classname) \($1)" }
        let same = keys.sorted() == wanted.sorted()
        #expect(same, "case names differ from the rule's")
        #expect(wanted.contains { $0.hasSuffix(" #2") }, "the report must need ordinals")
        #expect(wanted.contains { $0.hasPrefix("p.q.r urn:") }, "the report must need URNs")
    }

    @Test func findingsAloneStillMakeAValidReport() throws {
        // The engine may be told not to keep evaluation records; failures must still show.
        var report = SampleReport.make()
        report.evaluations = []
        let xml = try Self.render(report)
        #expect(xml.contains(#"type="mandatory, high">URN: urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs"#))
        #expect(Set(Self.caseKeys(xml)).count == Self.caseKeys(xml).count)
    }

    @Test func emptyReportIsValid() throws {
        let report = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: [], packs: [], findings: [], evaluations: [],
                                exemptions: [], verdict: Verdict(failed: false, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
        #expect(try Self.render(report).hasSuffix("<testsuites></testsuites>\n"))
    }

    @Test func escapesMarkupQuotesAndInvalidCharacters() {
        #expect(XMLWriter.escape("a<b>&\"'", inAttribute: false) == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(XMLWriter.escape("x\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}y", inAttribute: false) == "x" + String(repeating: "\u{FFFD}", count: 8) + "y")
        #expect(XMLWriter.escape("tab\tline\nreturn\r", inAttribute: true) == "tab&#9;line&#10;return&#13;")
        #expect(XMLWriter.escape("tab\tline\nreturn\r", inAttribute: false) == "tab\tline\nreturn&#13;")
        #expect(XMLWriter.escape("plain ✓ ünïcödé 🛡", inAttribute: true) == "plain ✓ ünïcödé 🛡")
        // Neighbours of U+FFFE/U+FFFF in UTF-8 (EF BF BD, EF BB BF, EF BF AE) are allowed and stay.
        #expect(XMLWriter.escape("\u{FFFD}\u{FEFF}\u{FFEE}\u{FFFF}", inAttribute: false) == "\u{FFFD}\u{FEFF}\u{FFEE}\u{FFFD}")
    }

    /// XML 1.0's escaping, a scalar at a time: the rules `XMLWriter.escape` applies to bytes.
    private static func plainEscape(_ text: String, inAttribute: Bool) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n" where inAttribute: out += "&#10;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            case "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: if ch.value < 0x20 { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Random texts of every length around the 16-byte blocks the escaper skips, drawn from what it acts on
    /// (markup, quotes, controls, tab and line breaks, U+FFFE and U+FFFF) and their neighbours (U+FFFD, U+FEFF and
    /// U+FFEE share the lead byte EF), checked against the scalar-at-a-time rules, in text and in attributes.
    @Test func escapingMatchesTheScalarRulesOnRandomTexts() {
        let alphabet: [Unicode.Scalar] = ["a", " ", "<", ">", "&", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1F}", "\u{7F}",
                                          "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{FEFF}", "\u{FFEE}", "é", "\u{1F600}"]
        for text in RandomTexts.make(alphabet, lengths: 0..<70, perLength: 20, oneIn: 4) {
            for inAttribute in [false, true] {
                #expect(XMLWriter.escape(text, inAttribute: inAttribute) == Self.plainEscape(text, inAttribute: inAttribute),
                        "\(Array(text.unicodeScalars)) inAttribute: \(inAttribute)")
            }
            // Written straight into the output and escaped after only where the check finds something to escape.
            var writer = XMLWriter()
            _ = writer.takeBytes()
            writer.start("t")
            writer.text(text)
            writer.end()
            #expect(String(decoding: writer.output, as: UTF8.self) == "<t>" + Self.plainEscape(text, inAttribute: false) + "</t>\n",
                    "\(Array(text.unicodeScalars))")
        }
    }

    @Test func shortcutElementsWriteWhatTheGeneralOnesWrite() {
        let text = "a<b\tc\nd\re\u{FFFE}f & \"g\""
        var general = XMLWriter(), shortcut = XMLWriter()
        general.start("suite")
        shortcut.start("suite")
        general.element("case", [("name", "n<1>"), ("classname", "c\t2"), ("time", "0")])
        shortcut.element("case", ("name", .init("n<1>")), ("classname", .init("c\t2")), ("time", .init("0")))
        general.start("case", [("name", "ü\u{FFFF}"), ("classname", ""), ("time", "'")])
        shortcut.start("case", ("name", .init("ü\u{FFFF}")), ("classname", .init("")), ("time", .init("'")))
        general.element("skipped", [("message", "m")])
        shortcut.element("skipped", [("message", "m")])
        general.end()
        shortcut.end()
        general.element("out", text: text + "ADVISORY\n")
        // The text in pieces, cut anywhere between characters, escapes as the whole does.
        shortcut.start("out")
        shortcut.text(String(text.prefix(3)))
        shortcut.text(String(text.dropFirst(3)))
        shortcut.text("ADVISORY\n")
        shortcut.end()
        general.element("empty", text: "")
        shortcut.start("empty")
        shortcut.end()
        general.end()
        shortcut.end()
        #expect(String(decoding: shortcut.output, as: UTF8.self) == String(decoding: general.output, as: UTF8.self))
        #expect(String(decoding: general.output, as: UTF8.self).contains("<out>a&lt;b\tc\nd&#13;e\u{FFFD}f &amp; &quot;g&quot;ADVISORY\n</out>"))
    }

    @Test func messagesSurviveAnXMLParserUnchanged() throws {
        // Read the failure message back with libxml2: markup and whitespace come back as written, invalid
        // characters as U+FFFD.
        let bytes = JUnitReporter(options: Self.options).render(SampleReport.make())
        let message = try XMLChecker.xpathString(bytes, "string(//testcase[@classname='aws-baseline.s3-encrypted']/failure/@message)")
        let expected = SampleReport.nastyMessage.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}")
            .replacingOccurrences(of: "\u{FFFE}", with: "\u{FFFD}")
        #expect(message == expected)
    }

    @Test func timestampLosesItsZoneOnly() {
        #expect(JUnitReporter.timestamp("2026-11-26T10:30:00Z") == "2026-11-26T10:30:00")
        #expect(JUnitReporter.timestamp("2026-11-26T10:30:00.123+00:00") == "2026-11-26T10:30:00")
        #expect(JUnitReporter.timestamp("yesterday") == "1970-01-01T00:00:00")
    }

    @Test func sameReportRendersSameBytes() {
        let reporter = JUnitReporter(options: Self.options)
        #expect(reporter.render(SampleReport.make()) == reporter.render(SampleReport.make()))
    }

    @Test func largeScanWithoutPassesStaysValidAndSmall() throws {
        let report = LargeReport.make(resources: 5_000)
        var options = Self.options
        options.junitPasses = .none
        let all = JUnitReporter(options: Self.options).render(report)
        let failing = JUnitReporter(options: options).render(report)
        #expect(try XMLChecker.junitErrors(failing) == nil)
        #expect(try XMLChecker.junitErrors(all) == nil)
        // One violation in a hundred: dropping passes must shrink the file by far more than half.
        #expect(failing.count * 10 < all.count, "all: \(all.count) bytes, without passes: \(failing.count) bytes")
    }
}
