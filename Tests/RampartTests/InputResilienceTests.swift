import Foundation
import Testing

/// One unreadable input costs only itself: every readable stack is scanned and reported, the unreadable one is
/// listed in every report with its located error, and the run exits 2 at the end.
@Suite struct InputResilienceTests {
    static func state(_ stack: String, bucketACL: String) -> String {
        """
        {"version":3,"deployment":{"resources":[
          {"urn":"urn:pulumi:\(stack)::shop::pulumi:pulumi:Stack::shop-\(stack)","custom":false,"type":"pulumi:pulumi:Stack"},
          {"urn":"urn:pulumi:\(stack)::shop::aws:s3/bucket:Bucket::site","custom":true,"type":"aws:s3/bucket:Bucket","id":"site-\(stack)",
           "outputs":{"bucket":"site-\(stack)","acl":"\(bucketACL)"}}
        ]}}
        """
    }

    /// A directory of three state files, the last cut off half-way (as a crashed writer leaves it).
    func backend() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-resilience-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(Self.state("dev", bucketACL: "private").utf8).write(to: URL(fileURLWithPath: dir + "/a-dev.json"))
        try Data(Self.state("prod", bucketACL: "public-read").utf8).write(to: URL(fileURLWithPath: dir + "/b-prod.json"))
        try Data(Self.state("test", bucketACL: "private").utf8.prefix(150)).write(to: URL(fileURLWithPath: dir + "/c-test.json"))
        return dir
    }

    @Test func aHalfWrittenStateCostsOnlyItself() throws {
        let dir = try backend()
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let run = try CLIProcess.run(["scan", dir, "--report", "json=\(out)/r.json", "--report", "junit=\(out)/r.xml",
                                      "--report", "sarif=\(out)/r.sarif", "--report", "github=\(out)/r.gh",
                                      "--report", "markdown=\(out)/r.md", "--report", "text=\(out)/r.txt", "--fail-on", "none"],
                                     timeout: 60)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(!run.crashed)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/r.json"))) as! [String: Any]
        let stacks = (json["stacks"] as! [[String: Any]]).map { $0["name"] as! String }.sorted()
        #expect(stacks == ["prod", "dev"].sorted().map { "shop/\($0)" })
        let errors = try #require(json["inputErrors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect((errors.first?["file"] as? String)?.hasSuffix("c-test.json") == true)
        #expect(errors.first?["line"] != nil)
        #expect((json["verdict"] as! [String: Any])["exitCode"] as? Int == 2)

        let junit = try String(contentsOfFile: out + "/r.xml", encoding: .utf8)
        #expect(junit.contains(#"name="inputs""#) && junit.contains(#"type="input-error""#))
        let sarif = try String(contentsOfFile: out + "/r.sarif", encoding: .utf8)
        #expect(sarif.contains(#""executionSuccessful": false"#))
        #expect(sarif.contains("c-test.json"))
        let github = try String(contentsOfFile: out + "/r.gh", encoding: .utf8)
        #expect(github.split(separator: "\n").contains { $0.hasPrefix("::error file=") && $0.contains("c-test.json") })
        #expect(try String(contentsOfFile: out + "/r.md", encoding: .utf8).contains("Input not read"))
        let text = try String(contentsOfFile: out + "/r.txt", encoding: .utf8)
        #expect(text.contains("c-test.json"))
        // What was read passed (fail-on none), but the run cannot claim "passed" for a stack it never read.
        #expect(text.contains("INCOMPLETE (fail-on none)") && !text.contains("PASSED"))
    }

    @Test func aMissingInputBesideAGoodOneIsReportedAndExitsTwo() throws {
        let dir = try backend()
        let run = try CLIProcess.run(["scan", dir + "/a-dev.json", dir + "/missing.json", "--report", "json"], timeout: 60)
        #expect(run.exitCode == 2)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect((json["stacks"] as! [Any]).count == 1)
        #expect(((json["inputErrors"] as? [[String: Any]])?.first?["file"] as? String)?.hasSuffix("missing.json") == true)
    }

    @Test func aSingleUnreadableInputAloneIsOneLocatedLine() throws {
        let dir = try backend()
        let run = try CLIProcess.run(["scan", dir + "/c-test.json"], timeout: 60)
        #expect(run.exitCode == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("rampart: error: \(dir)/c-test.json:") == true)
    }

    @Test func aBaselineIsNotRewrittenFromAnIncompleteRun() throws {
        let dir = try backend()
        let run = try CLIProcess.run(["scan", dir, "--write-baseline", dir + "/baseline.json", "--report", "json", "--fail-on", "none"],
                                     timeout: 60)
        #expect(run.exitCode == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/baseline.json"))
        #expect(run.stdout.contains("baseline not written"))
    }
}
