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

    /// The escaping as the runner's rules state it, a scalar at a time: the oracle for the byte-level escaper.
    static func plainEscape(_ text: String, property: Bool) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case "\t": out += "\t"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default:
                if ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Random texts of every length around the 16-byte blocks, drawn from the characters the escaper acts on (C0 and
    /// C1 controls, DEL, `%`, `:`, `,`, tab) and their neighbours (U+00A0 and `¿`, which share the C1 controls' lead
    /// byte, other multi-byte scalars), checked against the scalar-at-a-time rules.
    @Test func escapingMatchesTheScalarRulesOnRandomTexts() {
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "%", ":", ",", "\t", "\r", "\n", "\u{0}", "\u{1B}", "\u{1F}", "\u{7F}",
                                          "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{BF}", "\u{FFFD}", "\u{2028}", "\u{1F600}"]
        for text in RandomTexts.make(alphabet, lengths: 0..<70, perLength: 20, oneIn: 4) {
            #expect(GitHubReporter.escapeData(text) == Self.plainEscape(text, property: false), "\(Array(text.unicodeScalars))")
            #expect(GitHubReporter.escapeProperty(text) == Self.plainEscape(text, property: true), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func sameReportRendersSameBytes() {
        #expect(GitHubReporter().render(SampleReport.make()) == GitHubReporter().render(SampleReport.make()))
    }
}
