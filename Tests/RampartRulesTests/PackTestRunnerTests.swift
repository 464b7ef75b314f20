import Foundation
import Rampart
import RampartPolicy
import Testing
@testable import RampartRules

@Suite struct PackTestRunnerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var packs: [String] {
        let root = repository.appendingPathComponent("PolicyPacks").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
            .map { (root as NSString).appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("pack.yaml")) }
    }

    /// `rampart test PolicyPacks/*` in CI: every shipped pack's fixtures match.
    @Test func shippedPacksPassTheirOwnTests() throws {
        #expect(!Self.packs.isEmpty)
        for pack in Self.packs {
            let report = try PackTestRunner().run(packAt: pack)
            #expect(report.mismatches.isEmpty, "\(report.text)")
            #expect(!report.cases.isEmpty)
        }
    }

    @Test func everyShippedPolicyHasFixtures() throws {
        for pack in Self.packs {
            let report = try PackTestRunner().run(packAt: pack)
            let loaded = try RulePackLoader().load(at: pack)
            let tested = Set(report.cases.map(\.policy))
            for policy in loaded.pack.policies { #expect(tested.contains(policy.descriptor.name), "\(policy.descriptor.name) has no tests") }
        }
    }

    @Test func awsPackHasCrossResourceAndStackPolicies() throws {
        let loaded = try RulePackLoader().load(at: Self.repository.appendingPathComponent("PolicyPacks/aws-storage-network").path)
        #expect(loaded.pack.policies.count >= 8)
        #expect(loaded.pack.policies.contains { $0 is RuleStackPolicy })
        #expect(loaded.pack.policy(named: "s3-bucket-public-access-block") != nil)
    }

    static func brokenPack() -> ScratchDirectory {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", """
        name: demo
        version: 1.0.0
        policies:
          - { name: tagged, description: d, resources: { types: ["test:*"] }, validate: { path: tags, exists: true }, message: "{{ name }} <untagged> & bad" }
        """)
        dir.write("tests/tagged/resources.yaml", """
        resources:
          - { type: "test:index:A", name: good, props: { tags: { a: b } } }
          - { type: "test:index:A", name: bad, props: {} }
        """)
        dir.write("tests/tagged/expected.yaml", "pass: [good, bad, missing]\nfail: []\n")
        return dir
    }

    @Test func reportsEveryMismatchWithOutcomeAndReason() throws {
        let dir = Self.brokenPack()
        let report = try PackTestRunner().run(packAt: dir.path)
        #expect(report.cases.count == 3)
        #expect(report.text == """
        MISMATCH demo/tagged bad [tests/tagged/resources.yaml]: expected pass, got violation — bad <untagged> & bad
        MISMATCH demo/tagged missing [tests/tagged/resources.yaml]: expected pass, got no such resource — no resource or stack named 'missing' in the inputs
        demo: 3 case(s) across 1 policy test(s), 2 mismatch(es)

        """)
    }

    @Test func writesEscapedJUnit() throws {
        let dir = Self.brokenPack()
        let xml = PackTestJUnitWriter.xml([try PackTestRunner().run(packAt: dir.path)])
        #expect(xml.contains(#"<testsuites name="rampart test" tests="3" failures="2">"#))
        #expect(xml.contains(#"<testsuite name="demo/tagged" tests="3" failures="2" errors="0" skipped="0">"#))
        #expect(xml.contains(#"<testcase name="good is pass [tests/tagged/resources.yaml]" classname="demo.tagged"/>"#))
        #expect(xml.contains(#"<failure message="expected pass, got violation" type="mismatch">bad &lt;untagged&gt; &amp; bad</failure>"#))
        #expect(xml.hasSuffix("  </testsuite>\n</testsuites>\n"))
    }

    @Test func rejectsTestFolderForUnknownPolicy() {
        let dir = Self.brokenPack()
        dir.write("tests/taged/expected.yaml", "pass: []\n")
        #expect(throws: RulesError.invalid(file: dir.path + "/tests/taged", line: 1, column: 1,
                                           message: "test folder for an unknown policy 'taged' — did you mean 'tagged'?; expected a folder named after a policy of pack 'demo'")) {
            try PackTestRunner().run(packAt: dir.path)
        }
    }

    @Test func readsPulumiStateExportsAsFixtures() throws {
        let dir = ScratchDirectory()
        let samples = Self.repository.appendingPathComponent("Tests/RampartInputsTests/Fixtures/samples/state/export/random-password-plaintext-secrets.json")
        dir.write("pack.yaml", """
        name: demo
        version: 1.0.0
        policies:
          - { name: secret-result, description: d, resources: { types: ["random:index/randomPassword:RandomPassword"] }, validate: { path: result, isSecret: true } }
        """)
        let stateText = try String(contentsOf: samples, encoding: .utf8)
        dir.write("tests/secret-result/state.json", stateText)
        dir.write("tests/secret-result/expected.yaml", "pass: [myRandomPassword]\nnotApplicable: [default]\n")
        let report = try PackTestRunner().run(packAt: dir.path)
        #expect(report.cases.count == 2)
        #expect(report.mismatches.isEmpty, "\(report.text)")
    }

    /// `rampart scan --pack DIR` loads YAML packs through the facade and maps rule errors to located configuration errors.
    @Test func scannerLoadsYAMLPacksAndLocatesErrors() throws {
        let pack = try PackLoader().load(Self.repository.appendingPathComponent("PolicyPacks/aws-storage-network").path)
        #expect(pack.name == "aws-storage-network")
        let dir = ScratchDirectory()
        let file = dir.write("bad.yaml", "name: x\nversion: 1\npolicies:\n  - { name: p, description: d, resources: { types: [\"a:b:C\"] }, validate: { path: a, equal: 1 } }\n")
        #expect(throws: RampartError.self) { try PackLoader().load(file) }
        do { _ = try PackLoader().load(file) } catch {
            #expect(error.description == "\(file):4:86: unknown operator 'equal' — did you mean 'equals'?")
        }
    }
}
