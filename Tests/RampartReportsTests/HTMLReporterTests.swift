import Foundation
import RampartJSON
import RampartModel
import RampartPolicy
@testable import RampartReports
import Testing

/// The sample report with markup in every string an input can supply: resource names, types and URNs, stack
/// names, messages, remediation, locations, exemption reasons, input paths and notices.
enum CanaryReport {
    /// The issue's canary, and one that would leave a trace (`window.__pwned`) if it ever ran.
    static let canary = "</script><img src=x onerror=alert(1)>"
    static let tracer = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"
    static let scriptClose = "</SCRIPT ><!--<script>"

    static func make() -> ScanReport {
        var report = SampleReport.make()
        let stack = StackSummary(name: "acme/\(canary)/prod", source: "\(tracer).json", kind: "state-export", resourceCount: 1, resources: [
            ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::\(canary)", type: "aws:s3/bucket:Bucket\(scriptClose)", name: canary),
        ])
        report.stacks.append(stack)
        report.inputs.append("\(tracer).json")
        report.findings.append(Finding(stack: stack.name, resource: stack.resources[0], pack: "aws-baseline", policy: "s3-encrypted",
                                       enforcementLevel: .mandatory, severity: .high, outcome: .violation,
                                       message: "Bucket \(tracer) \u{2028}line\u{2029} has no encryption \(scriptClose)",
                                       remediation: "Encrypt \(canary)", proposedFix: tracer,
                                       location: RampartModel.SourceLocation(file: "\(canary).ts", line: 1, column: 2),
                                       fingerprint: "9a1b2c3d4e5f60718293a4b5c6d7e8f9",
                                       exemption: nil))
        report.notices.append(ReportNotice(source: canary, message: tracer))
        report.exemptions.append(ExemptionRecord(policy: "aws-baseline/\(canary)", urn: canary, reason: tracer, source: scriptClose))
        report.packs[0].policies[0].rationale = "Why: \(tracer)"
        report.packs[0].policies[0].equivalents = [PolicyEquivalent(.awsguard, "s3-bucket-\(canary)")]
        return report
    }
}

@Suite struct HTMLReporterTests {
    static func page(_ report: ScanReport = CanaryReport.make(), checklist: Bool = false) -> String {
        HTMLReporter(checklist: checklist).render(report).text
    }

    static func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func sha256MatchesTheStandardTestVectors() {
        func hex(_ s: String) -> String { SHA256.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.base64(Array("ab".utf8)) == "YWI=" && SHA256.base64(Array("abc".utf8)) == "YWJj" && SHA256.base64(Array("a".utf8)) == "YQ==")
    }

    @Test func contentSecurityPolicyAllowsExactlyTheInlineScriptAndStyle() throws {
        let page = Self.page()
        let script = try #require(page.range(of: "<script>", options: .backwards))
        let scriptEnd = try #require(page.range(of: "</script>", options: .backwards))
        let scriptText = String(page[script.upperBound..<scriptEnd.lowerBound])
        let style = try #require(page.range(of: "<style>"))
        let styleEnd = try #require(page.range(of: "</style>"))
        let styleText = String(page[style.upperBound..<styleEnd.lowerBound])
        let csp = HTMLReporter.contentSecurityPolicy
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"\(csp)\">"))
        #expect(csp.contains("script-src " + SHA256.cspSource(scriptText) + ";"))
        #expect(csp.contains("style-src " + SHA256.cspSource(styleText) + ";"))
        #expect(csp.hasPrefix("default-src 'none';") && !csp.contains("unsafe"))
        // The policy comes first in <head>, before anything it governs.
        #expect(page.range(of: "Content-Security-Policy")!.lowerBound < style.lowerBound)
    }

    @Test func everyInputStringStaysText() {
        let page = Self.page()
        // Two script elements (the data block and the script), each closed once; no input string adds markup.
        #expect(Self.occurrences("<script", in: page.lowercased()) == 2)
        #expect(Self.occurrences("</script", in: page.lowercased()) == 2)
        #expect(!page.contains("<img") && !page.contains("onerror=\"") && !page.contains("<!--"))
        #expect(page.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!page.contains("\u{2028}") && !page.contains("\u{2029}"))
    }

    @Test func embeddedDataHoldsEveryFinding() throws {
        let report = CanaryReport.make()
        let page = Self.page(report)
        let start = try #require(page.range(of: "<script type=\"application/json\" id=\"rampart-data\">"))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let data = try JSONDocument.parse(String(page[start.upperBound..<end.lowerBound]))
        let findings = try #require(data.root["findings"])
        #expect(findings.count == report.findings.count)
        let last = try #require(findings[report.findings.count - 1])
        #expect(last[7]?.string == report.findings.last?.message)
        let resources = try #require(data.root["resources"])
        let group = try #require(last[1]?.int)
        #expect(resources[group]?[3]?.string == CanaryReport.canary)
    }

    @Test func nothingIsLoadedFromOutsideTheFile() {
        let page = Self.page()
        // Any `<` from the inputs is escaped, so a tag here is the reporter's own markup.
        let fetching = try! NSRegularExpression(pattern: #"<[a-zA-Z][^<>]*(\s(src|srcset|action|data|poster)\s*=|\shref\s*=\s*"?\s*(https?:)?//)"#)
        #expect(fetching.firstMatch(in: page, range: NSRange(page.startIndex..., in: page)) == nil)
        #expect(!page.contains("url(") && !page.contains("@import") && !page.contains("fetch(") && !page.contains("XMLHttpRequest"))
    }

    @Test func checklistOnlyForAudits() {
        let report = SampleReport.make()
        #expect(!Self.page(report).contains("id=\"checklist\""))
        let audit = Self.page(report, checklist: true)
        #expect(audit.contains("id=\"checklist\""))
        for (_, items) in Checklist.items(report) {
            for item in items {
                #expect(audit.contains("<th scope=\"row\"><code>\(item.policy)</code></th>"))
            }
        }
        #expect(audit.contains("no organisation snapshot given (--org)"))
    }

    @Test func renderingIsDeterministicAndStreamsInChunks() {
        let report = LargeReport.make(resources: 2_000)
        let whole = HTMLReporter().render(report)
        var chunks = 0
        var streamed: [UInt8] = []
        let output = ReportOutput(chunkSize: 4_096) { chunk in
            chunks += 1
            streamed.append(contentsOf: chunk)
            return true
        }
        HTMLReporter().write(report, to: output)
        #expect(streamed == whole)
        #expect(chunks > 3)
        #expect(HTMLReporter().render(report) == whole)
    }

    @Test func overviewCountsComeFromTheReport() {
        let report = SampleReport.make()
        let page = Self.page(report)
        #expect(page.contains("data-count=\"findings\">\(report.findings.count)<"))
        #expect(page.contains("data-count=\"exempted\">1<") && page.contains("data-count=\"baselined\">1<"))
        #expect(page.contains("data-count=\"exemptions-expired\">1<") && page.contains("data-count=\"baseline-resolved\">1<"))
        #expect(page.contains("data-count=\"resources\">10<"))
    }
}

/// `HTMLText.escape` returns a text untouched, from its bytes, exactly when applying its rules a scalar at a time
/// would change nothing: checked on random texts drawn from the characters the rules change and their neighbours.
@Suite struct HTMLTextEscapeTests {
    @Test func textsAreReturnedUntouchedOnlyWhenNoRuleApplies() {
        #expect(HTMLText.escape("a<b & \u{1B}\u{FFFE}") == "a&lt;b &amp; \u{FFFD}\u{FFFD}")
        let alphabet: [Unicode.Scalar] = ["a", " ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}",
                                          "\u{9F}", "\u{A0}", "é", "\u{FDCF}", "\u{FDF0}", "\u{FFFD}",
                                          "\u{FFFE}", "\u{FFFF}", "\u{1FFFE}", "\u{10FFFF}", "\u{1F600}", "\u{EFFF}"]
            // The noncharacters U+FDD0–U+FDEF cannot be written in a literal.
            + [0xFDD0, 0xFDDF, 0xFDEF].map { Unicode.Scalar($0)! }
        for text in RandomTexts.make(alphabet, lengths: 0..<24, perLength: 40, oneIn: 3) {
            #expect(HTMLText.escape(text) == HTMLText.escapeEachScalar(text), "\(Array(text.unicodeScalars))")
        }
    }
}
