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

    @Test func sameReportRendersSameBytes() {
        #expect(GitHubReporter().render(SampleReport.make()) == GitHubReporter().render(SampleReport.make()))
    }
}
