import RampartPolicy
@testable import RampartReports
import Testing

@Suite struct MarkdownReporterTests {
    @Test func matchesSnapshot() throws {
        try Snapshot.assertMatches(MarkdownReporter().render(SampleReport.make()), named: "markdown-default.md")
    }

    @Test func verdictComesFirst() {
        let failed = MarkdownReporter().render(SampleReport.make()).text
        #expect(failed.hasPrefix("## ❌ **Rampart: failed** (fail-on mandatory)\n"))
        var report = SampleReport.make()
        report.verdict = Verdict(failed: false, failOn: .advisory)
        #expect(MarkdownReporter().render(report).text.hasPrefix("## ✅ **Rampart: passed** (fail-on advisory)\n"))
    }

    @Test func countsEachStackBySeverityAndOutcome() {
        let md = MarkdownReporter().render(SampleReport.make()).text
        #expect(md.contains("### acme/web/prod\n\n7 resource(s) from `state/prod export.json`; 9 evaluation(s): 1 passed, 1 not applicable.\n"))
        // prod: critical = 1 advisory; high = 3 mandatory (+1 exempted); medium = 1 error; low = 1 indeterminate.
        #expect(md.contains("| critical | 0 | 1 | 0 | 0 | 0 |\n| high | 3 | 0 | 0 | 0 | 1 |\n| medium | 0 | 0 | 1 | 0 | 0 |\n| low | 0 | 0 | 0 | 1 | 0 |\n"))
    }

    @Test func listsMandatoryViolationsAndCollapsesAdvisoryOnes() {
        let md = MarkdownReporter().render(SampleReport.make()).text
        #expect(md.contains("#### Mandatory violations (3)\n"))
        #expect(md.contains("<details>\n<summary>Advisory violations (1)</summary>\n\n- **critical** `aws-baseline/rds-public`"))
        #expect(md.contains("<details>\n<summary>Indeterminate (not evaluable) (2)</summary>"))
        #expect(md.components(separatedBy: "<details>").count == md.components(separatedBy: "</details>").count)
        #expect(md.contains("**Expired exemptions** (no longer applied):\n\n- `aws-baseline/rds-public` expired 2025-01-01: temporary \\| until migration\n"))
    }

    @Test func userStringsCannotInjectMarkupMentionsOrLineBreaks() {
        let md = MarkdownReporter().render(SampleReport.make()).text
        #expect(md.contains(#"<br>Bucket "logs" &lt;unencrypted&gt; &amp; 'public' \| \`acl\` &#64;security-team 100% off: a,b::x�� second line  <br>"#))
        #expect(!md.contains("<unencrypted>"))
        #expect(!md.contains("@security-team"))
        #expect(MarkdownText.escape("*a* _b_ [c](d) ~e~ #1 !x {y}") == ##"\*a\* \_b\_ \[c\](d) \~e\~ \#1 \!x \{y\}"##)
    }

    @Test func staysUnderItsLimitAndSaysWhatWasCut() {
        let report = LargeReport.make(resources: 20_000)  // 1,000 mandatory violations
        let md = MarkdownReporter(options: ReportOptions(markdownLimit: 20_000)).render(report).text
        #expect(md.utf8.count <= 20_000)
        #expect(md.contains("#### Mandatory violations (1000)"))
        let listed = md.components(separatedBy: "\n- **high**").count - 1
        #expect(listed > 10 && listed < 1000)
        #expect(md.contains("> **Report cut to fit 20000 bytes:** \(1000 - listed) mandatory violations not listed."))
        let full = MarkdownReporter().render(report).text
        #expect(full.utf8.count <= 60_000)
    }

    @Test func sameReportRendersSameBytes() {
        #expect(MarkdownReporter().render(SampleReport.make()) == MarkdownReporter().render(SampleReport.make()))
    }
}
