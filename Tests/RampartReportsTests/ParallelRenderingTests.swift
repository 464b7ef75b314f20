import Foundation
import RampartPolicy
@testable import RampartReports
import Testing

/// A long list of findings (JSON) or test cases (JUnit) rendered a batch per thread: the same bytes as one
/// thread's rendering, whatever the number of threads, the batch size and the chunk size.
@Suite struct ParallelRenderingTests {
    static func rendered(_ report: ScanReport, workers: Int, batch: Int, chunkSize: Int = ReportOutput.defaultChunkSize,
                         by reporter: any Reporter = JSONReporter()) -> [UInt8] {
        var chunks: [[UInt8]] = []
        let output = ReportOutput(chunkSize: chunkSize, workers: workers) { chunk in
            chunks.append(Array(chunk))
            return true
        }
        output.elementsPerBatch = batch
        reporter.write(report, to: output)
        return Array(chunks.joined())
    }

    /// JUnit with every evaluation (10,000 cases in one suite, judged in two slices on two or more workers) and
    /// with findings only (advisory lines, exemptions, baselined findings, twelve stacks), listing passes or not.
    @Test(arguments: [(2, 7), (3, 100), (2, 5_000)])
    func junitCasesRenderedOnSeveralThreadsEqualOneThreadsRendering(_ workers: Int, _ batch: Int) {
        for report in [LargeReport.make(resources: 2_000), ManyFindingsReport.make(findings: 3_000)] {
            for passes in [ReportOptions.JUnitPasses.all, .none] {
                var options = ReportOptions(hostname: "ci-runner")
                options.junitPasses = passes
                let reporter = JUnitReporter(options: options)
                let expected = reporter.render(report)
                for chunkSize in [ReportOutput.defaultChunkSize, 1] {
                    let bytes = Self.rendered(report, workers: workers, batch: batch, chunkSize: chunkSize, by: reporter)
                    // Compared as one Boolean: a failed comparison of two arrays this long prints a diff for minutes.
                    let same = bytes == expected
                    #expect(same, "differs from byte \(zip(bytes, expected).prefix { $0 == $1 }.count) (\(bytes.count) against \(expected.count) bytes)")
                }
            }
        }
    }

    @Test(arguments: [(2, 7), (2, 64), (3, 5), (4, 1), (2, 1_000)])
    func findingsRenderedOnSeveralThreadsEqualOneThreadsRendering(_ workers: Int, _ batch: Int) {
        // 2,000 resources and five policies give 100 findings: many rounds of small batches, a last round that is
        // not full, and (with 1,000 per batch) fewer findings than one batch.
        let report = LargeReport.make(resources: 2_000)
        #expect(report.findings.count == 100)
        let expected = JSONReporter().render(report)
        #expect(Self.rendered(report, workers: workers, batch: batch) == expected)
        #expect(Self.rendered(report, workers: workers, batch: batch, chunkSize: 1) == expected)
    }

    /// SARIF results rendered a batch per thread: the same log as one thread's, with findings of several stacks and
    /// rules (each result's rule index and fallback location read per finding).
    @Test(arguments: [(2, 7), (3, 64), (2, 5_000)])
    func sarifResultsRenderedOnSeveralThreadsEqualOneThreadsRendering(_ workers: Int, _ batch: Int) {
        for report in [LargeReport.make(resources: 2_000), ManyFindingsReport.make(findings: 3_000)] {
            let reporter = SARIFReporter()
            let expected = reporter.render(report)
            for chunkSize in [ReportOutput.defaultChunkSize, 1] {
                let bytes = Self.rendered(report, workers: workers, batch: batch, chunkSize: chunkSize, by: reporter)
                let same = bytes == expected
                #expect(same, "differs from byte \(zip(bytes, expected).prefix { $0 == $1 }.count) (\(bytes.count) against \(expected.count) bytes)")
            }
        }
    }

    /// Each round's bytes reach the sink while the next round renders; a sink that refuses a chunk is given none
    /// after it, whichever task hands the bytes over, and the output says it failed.
    @Test func aRefusingSinkIsGivenNothingAfterItsRefusalWhenBatchesRenderAtOnce() {
        let report = LargeReport.make(resources: 2_000)
        for refusal in [1, 2, 5] {
            var calls = 0
            let output = ReportOutput(chunkSize: 1, workers: 2) { _ in
                calls += 1
                return calls < refusal
            }
            output.elementsPerBatch = 3
            JSONReporter().write(report, to: output)
            #expect(output.failed)
            #expect(calls == refusal)
        }
    }

    @Test func aBatchCountThatDividesTheFindingsExactlyEndsTheArrayOnce() throws {
        let report = LargeReport.make(resources: 2_000)
        let bytes = Self.rendered(report, workers: 2, batch: 25)
        #expect(bytes == JSONReporter().render(report))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect((object["findings"] as? [Any])?.count == 100)
    }

    @Test func aReportWithoutFindingsKeepsItsEmptyArray() {
        let report = LargeReport.make(resources: 50)
        #expect(report.findings.count == 1)
        let empty = ScanReport(tool: report.tool, inputs: report.inputs, stacks: report.stacks, packs: report.packs,
                               findings: [], evaluations: [], exemptions: [], verdict: report.verdict, timestamp: report.timestamp)
        let bytes = Self.rendered(empty, workers: 2, batch: 1)
        #expect(bytes == JSONReporter().render(empty))
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"findings\": []"))
    }
}
