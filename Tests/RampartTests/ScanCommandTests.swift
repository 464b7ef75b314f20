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
