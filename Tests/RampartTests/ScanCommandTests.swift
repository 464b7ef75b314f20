import Foundation
import Rampart
import RampartPolicy
import Testing

@Suite struct ScannerTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("RampartInputsTests/Fixtures/samples").path

    @Test func scanWithoutPoliciesCountsResources() throws {
        let options = RunOptions(jobs: 1, today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")
        let report = try Pipeline().run(.inputs([Self.samples + "/state/export/aws-lambda-s3-passphrase.json"]), options: options).report
        #expect(report.stacks.count == 1)
        #expect(report.stacks[0].resourceCount == 17)
        #expect(report.stacks[0].name == "sample/dev")
        #expect(report.verdict.failed == false)
    }
}

/// Packs are loaded while the first input is read (`Pipeline.configureAndCollect`): the run is the same as in order,
/// and a configuration error is still the one reported, whatever happens to the input read beside it.
@Suite struct ConfigureWhileReadingTests {
    let options = RunOptions(jobs: 2, today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")
    let input = ScannerTests.samples + "/state/export/aws-lambda-s3-passphrase.json"

    @Test func aPackErrorIsReportedBesideAGoodOrAMissingInput() {
        var options = options
        options.packs = ["builtin:no-such-pack"]
        for inputs in [[input], ["/nonexistent/state.json"], [input, "/nonexistent/state.json"]] {
            #expect {
                _ = try Pipeline().run(.inputs(inputs), options: options)
            } throws: { error in
                guard let error = error as? RampartError, case .packNotFound(let name, _) = error else { return false }
                return name == "builtin:no-such-pack"
            }
        }
    }

    @Test func theFirstStackIsEvaluatedWithTheLoadedPacksAndTheOthersFollow() throws {
        var options = options
        options.packs = ["builtin:pitfalls"]
        let twice = try Pipeline().run(.inputs([input, "/nonexistent/state.json", input]), options: options).report
        let once = try Pipeline().run(.inputs([input]), options: options).report
        #expect(twice.stacks.count == 2)
        #expect(twice.inputFailures.count == 1)
        #expect(!once.findings.isEmpty)
        #expect(twice.findings.count == 2 * once.findings.count)
        #expect(Set(twice.findings.map(\.pack)) == ["pitfalls"])
    }
}
