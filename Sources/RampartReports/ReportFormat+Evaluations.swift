import RampartPolicy

extension ReportFormat {
    /// Whether the format reads `ScanReport.evaluations` (one record per policy and resource, passes included).
    /// JUnit lists every evaluation as a test case and Markdown tallies them per stack; the others need only
    /// findings and counts, so a scan writing only those can skip recording millions of evaluations.
    public var needsEvaluations: Bool {
        switch self {
        case .junit, .markdown: return true
        case .text, .json, .sarif, .github, .html: return false
        }
    }
}
