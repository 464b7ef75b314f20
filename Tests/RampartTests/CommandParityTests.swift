import Foundation
import Testing

/// Every command runs the one pipeline, so every flag means the same in `scan`, `lint` and `audit`, and the run's own
/// checks (`builtin:rampart`) run for all of them. Driven through the real binary, as users run it.
@Suite struct CommandParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let project = fixtures + "/lint-project"
    static let state = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples/state/export/aws-lambda-s3-passphrase.json").path

    /// A scratch directory with `files` written into it.
    func scratch(_ files: [String: String] = [:]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-parity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func findings(_ report: [String: Any]) -> [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }

    static let expiredExemption = """
        exemptions:
          - policy: pitfalls/plaintext-secrets-in-config
            reason: rotating the key
            expires: 2020-01-31

        """

    @Test func lintLeavesPassingJUnitCasesOutWithJunitPassesNone() throws {
        let dir = try scratch()
        let all = try CLIProcess.run(["lint", Self.project, "--report", "junit=\(dir)/all.xml", "--fail-on", "none"], timeout: 60)
        let none = try CLIProcess.run(["lint", Self.project, "--report", "junit=\(dir)/none.xml", "--junit-passes", "none",
                                       "--fail-on", "none"], timeout: 60)
        #expect(all.exitCode == 0 && none.exitCode == 0, "\(all.stderr)\(none.stderr)")
        let allXML = try String(contentsOfFile: dir + "/all.xml", encoding: .utf8)
        let noneXML = try String(contentsOfFile: dir + "/none.xml", encoding: .utf8)
        let cases = { (xml: String) in xml.components(separatedBy: "<testcase ").count - 1 }
        #expect(cases(noneXML) < cases(allXML))
        #expect(noneXML.contains("passes-omitted"))
        #expect(!allXML.contains("passes-omitted"))
    }

    @Test func auditWritesAndHonoursABaseline() throws {
        let dir = try scratch()
        let first = try CLIProcess.run(["audit", Self.state, "--write-baseline", dir + "/baseline.json", "--fail-on", "advisory",
                                        "--report", "json=\(dir)/first.json"], timeout: 60)
        #expect(first.exitCode == 1, "the sample's state uses the passphrase provider (managed-state-backend): \(first.stderr)")
        let recorded = try json(dir + "/baseline.json")
        #expect(!(recorded["findings"] as! [Any]).isEmpty)
        let second = try CLIProcess.run(["audit", Self.state, "--baseline", dir + "/baseline.json", "--fail-on", "advisory",
                                         "--report", "json=\(dir)/second.json"], timeout: 60)
        #expect(second.exitCode == 0, "every finding is known to the baseline: \(second.stderr)")
        let baseline = try #require(try json(dir + "/second.json")["baseline"] as? [String: Any])
        #expect(baseline["new"] as? Int == 0)
        #expect((baseline["known"] as? Int ?? 0) > 0)
    }

    @Test func auditTakesTheStackIdentityOfASingleInput() throws {
        let dir = try scratch()
        let run = try CLIProcess.run(["audit", Self.state, "--stack", "acme/lambda/prod", "--report", "json=\(dir)/r.json",
                                      "--fail-on", "none"], timeout: 60)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let stacks = (try json(dir + "/r.json")["stacks"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(stacks.contains("acme/lambda/prod"))
    }

    @Test func expiredExemptionsAreReportedByScanLintAndAudit() throws {
        let dir = try scratch(["rampart.yaml": Self.expiredExemption])
        let config = dir + "/rampart.yaml"
        let runs: [(String, [String])] = [
            ("scan", ["scan", Self.state]),
            ("lint", ["lint", Self.project]),
            ("audit", ["audit", "--project", Self.project]),
        ]
        for (name, arguments) in runs {
            let run = try CLIProcess.run(arguments + ["--config", config, "--report", "json=\(dir)/\(name).json", "--fail-on", "none"],
                                         timeout: 60)
            #expect(run.exitCode == 0, "\(name): \(run.stderr)")
            let hygiene = findings(try json(dir + "/\(name).json")).filter { $0["pack"] as? String == "rampart" }
            #expect(hygiene.map { $0["policy"] as? String } == ["expired-exemption"], "\(name)")
        }
    }

    @Test func policiesListTheHygienePackAndRampartYAMLLevelsIt() throws {
        let listing = try CLIProcess.run(["policies"], timeout: 30, in: URL(fileURLWithPath: try scratch()))
        #expect(listing.stdout.contains("(builtin:rampart, default level advisory)"))
        #expect(listing.stdout.contains("  expired-exemption "))
        #expect(listing.stdout.contains("  stale-baseline-entry "))
        let explained = try CLIProcess.run(["policies", "--explain", "rampart/stale-baseline-entry"], timeout: 30)
        #expect(explained.stdout.contains("Rationale"))

        // Raised to mandatory for every stack, the expired exemption now fails the lint.
        let dir = try scratch(["rampart.yaml": Self.expiredExemption + "stacks:\n  \"*\":\n    rampart: { expired-exemption: mandatory }\n"])
        let run = try CLIProcess.run(["lint", Self.project, "--config", dir + "/rampart.yaml", "--report", "json=\(dir)/r.json",
                                      "--fail-on", "mandatory"], timeout: 60)
        let hygiene = try #require(findings(try json(dir + "/r.json")).first { $0["policy"] as? String == "expired-exemption" })
        #expect(hygiene["enforcementLevel"] as? String == "mandatory")
        #expect(run.exitCode == 1)
    }

    @Test func packFlagReplacingTheConfiguredPacksIgnoresTheirSettingsWithOneNotice() throws {
        let dir = try scratch(["rampart.yaml": "packs: [builtin:aws]\nstacks:\n  \"*\":\n    aws: { all: mandatory }\n"])
        let run = try CLIProcess.run(["scan", Self.state, "--pack", "builtin:awsguard", "--config", dir + "/rampart.yaml",
                                      "--report", "json=\(dir)/r.json", "--fail-on", "none"], timeout: 60)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let notices = (try json(dir + "/r.json")["notices"] as! [[String: Any]]).compactMap { $0["message"] as? String }
        #expect(notices.filter { $0.contains("ignored") } == [
            "settings for pack(s) aws ignored: --pack replaced the packs of rampart.yaml for this run",
        ])
    }

    @Test func settingsForAPackNamedNowhereAreStillAnError() throws {
        let dir = try scratch(["rampart.yaml": "packs: [builtin:aws]\nstacks:\n  \"*\":\n    awsgard: { all: mandatory }\n"])
        let run = try CLIProcess.run(["scan", Self.state, "--pack", "builtin:awsguard", "--config", dir + "/rampart.yaml"], timeout: 60)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("unknown policy pack 'awsgard'"))
        #expect(run.stderr.contains("did you mean 'awsguard'?"))
    }
}
