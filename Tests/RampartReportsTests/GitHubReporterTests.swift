import RampartModel
import RampartPolicy
import RampartReports
import Testing

@Suite struct GitHubReporterTests {
    @Test func matchesSnapshot() throws {
        try Snapshot.assertMatches(GitHubReporter().render(SampleReport.make()), named: "github-default.txt")
    }

    @Test func oneCommandPerActiveFindingAtItsLevel() {
        let lines = GitHubReporter().render(SampleReport.make()).text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        // 9 findings, less one exempted and one baselined.
        #expect(lines.count == 7)
        #expect(lines.map { $0.prefix { $0 != " " } } == ["::notice", "::error", "::warning", "::error", "::error", "::error", "::notice"])
        #expect(lines.allSatisfy { $0.hasPrefix("::") })
    }

    @Test func positionsAndTitleAreEscapedProperties() {
        let out = GitHubReporter().render(SampleReport.make()).text
        #expect(out.contains("::error file=infra/index.ts,line=12,col=5,title=aws-baseline/s3-encrypted (mandatory%2C high)::aws:s3/bucket:Bucket logs in acme/web/prod: "))
        #expect(out.contains("::error file=Pulumi.prod.yaml,line=4,col=3,title=org-hardening/config-secrets-encrypted (mandatory%2C high)::stack acme/web/prod: "))
        #expect(out.contains("::notice title=aws-baseline/rds-public (advisory%2C critical) indeterminate::aws:rds/instance:Instance db in acme/web/dev: "))
    }

    @Test func messagesCannotStartANewCommand() {
        let out = GitHubReporter().render(SampleReport.make()).text
        #expect(out.contains("100%25 off: a,b::x\u{FFFD}\u{FFFE}%0Asecond line%0D%0A%0Aurn:pulumi:prod::web::aws:s3/bucket:Bucket::logs%0ARemediation: "))
    }

    @Test func escapesDataAndProperties() {
        #expect(GitHubReporter.escapeData("100% done\r\nnext::x,y:z") == "100%25 done%0D%0Anext::x,y:z")
        #expect(GitHubReporter.escapeProperty("C:\\dir,a%b\nc") == "C%3A\\dir%2Ca%25b%0Ac")
        #expect(GitHubReporter.escapeData("%0A") == "%250A", "an already-encoded sequence must not be decoded by the runner")
        #expect(GitHubReporter.escapeData("a\u{1B}[2Kb\tc") == "a\u{FFFD}[2Kb\tc")
    }

    @Test func everyPartOfACommandIsEscapedLikeTheWhole() {
        let ref = ResourceRef(urn: "urn:pulumi:s::p::t::n%\u{85}", type: "aws:x%y", name: "n\u{1B}m,1")
        let finding = Finding(stack: "org/p:s\r", resource: ref, pack: "p%", policy: "a,b", enforcementLevel: .mandatory, severity: .high,
                              outcome: .violation, message: "m", remediation: "fix\nit", location: SourceLocation(file: "C:\\x,y%\u{9F}.ts", line: 3),
                              fingerprint: "f")
        let report = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: [], packs: [], findings: [finding], evaluations: [],
                                exemptions: [], verdict: Verdict(failed: true, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
        let message = "aws:x%y n\u{1B}m,1 in org/p:s\r: m\n" + ref.urn + "\nRemediation: fix\nit"
        let expected = "::error file=" + GitHubReporter.escapeProperty("C:\\x,y%\u{9F}.ts") + ",line=3,title="
            + GitHubReporter.escapeProperty("p%/a,b (mandatory, high)") + "::" + GitHubReporter.escapeData(message) + "\n"
        #expect(GitHubReporter().render(report).text == expected)
    }

    @Test func sameReportRendersSameBytes() {
        #expect(GitHubReporter().render(SampleReport.make()) == GitHubReporter().render(SampleReport.make()))
    }
}
