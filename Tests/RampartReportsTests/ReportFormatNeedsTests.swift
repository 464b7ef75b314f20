import RampartPolicy
import RampartReports
import Testing

/// A scan records per-evaluation data only when a requested format reads it; a format that reads evaluations
/// without saying so would silently lose content.
@Suite struct ReportFormatNeedsTests {
    static func render(_ format: ReportFormat, _ report: ScanReport) -> [UInt8] {
        let options = ReportOptions(color: false)
        switch format {
        case .text: return TextReporter(options: options).render(report)
        case .json: return JSONReporter().render(report)
        case .junit: return JUnitReporter(options: options).render(report)
        case .sarif: return SARIFReporter().render(report)
        case .markdown: return MarkdownReporter(options: options).render(report)
        case .github: return GitHubReporter().render(report)
        case .html: return HTMLReporter().render(report)
        }
    }

    @Test func formatsThatDoNotNeedEvaluationsRenderTheSameWithoutThem() {
        let full = SampleReport.make()
        #expect(!full.evaluations.isEmpty)
        var bare = full
        bare.evaluations = []
        for format in ReportFormat.allCases {
            let same = Self.render(format, full) == Self.render(format, bare)
            #expect(same == !format.needsEvaluations, "\(format.rawValue)")
        }
    }
}
