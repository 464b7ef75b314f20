import Foundation
import Rampart
import RampartPolicy
import RampartReports
import Testing

@Suite struct ReportWriterTests {
    @Test func everyFormatIsAvailable() throws {
        let writer = ReportWriter(options: ReportOptions(hostname: "ci-runner"))
        for format in ReportFormat.allCases {
            #expect(try !writer.render(SampleReport.make(), as: format).isEmpty, "\(format) rendered nothing")
        }
    }

    @Test func writesEveryRequestedReportFromOneValue() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let targets = try ["junit=\(dir)/r.xml", "sarif=\(dir)/r.sarif", "markdown=\(dir)/summary.md", "json=\(dir)/r.json", "github"]
            .map { text throws(RampartError) in try ReportTarget(parsing: text) }
        let stdout = try ReportWriter(options: ReportOptions(hostname: "ci-runner")).write(SampleReport.make(), to: targets)
        #expect(stdout == GitHubReporter().render(SampleReport.make()))
        let junit = try #require(FileManager.default.contents(atPath: dir + "/r.xml"))
        #expect(Array(junit) == JUnitReporter(options: ReportOptions(hostname: "ci-runner")).render(SampleReport.make()))
        #expect(try XMLChecker.junitErrors(Array(junit)) == nil)
        // SARIFReporterTests validates this rendering against the SARIF schema.
        let sarif = try #require(FileManager.default.contents(atPath: dir + "/r.sarif"))
        #expect(Array(sarif) == SARIFReporter().render(SampleReport.make()))
        #expect(FileManager.default.fileExists(atPath: dir + "/summary.md"))
    }
}

@Suite struct AtomicReportFileTests {
    @Test func writesExactBytesAndLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/report.json"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
        try ReportWriter.writeAtomically(bytes, to: path)
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.json"])
    }

    @Test func missingDirectoryIsAnOutputError() {
        #expect(throws: RampartError.self) { try ReportWriter.writeAtomically([1, 2, 3], to: "/nonexistent-dir-rampart/r.json") }
    }
}
