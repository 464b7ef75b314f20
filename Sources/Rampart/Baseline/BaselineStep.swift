import RampartEngine
import RampartPolicy

/// The scan phase that compares findings with a baseline and recomputes the verdict.
struct BaselineStep {
    let baseline: Baseline
    let file: String
    let aliases: [String: [String]]

    @discardableResult
    func apply(to report: inout ScanReport, today: String, maxAgeDays: Int? = nil) -> BaselineComparison {
        let comparison = BaselineMatcher(baseline: baseline, aliases: aliases).apply(to: &report, today: today, maxAgeDays: maxAgeDays)
        report.baseline = BaselineSummary(
            file: file, known: comparison.known, new: comparison.new,
            resolved: comparison.resolved.map {
                BaselineSummary.Entry(stack: $0.stack, pack: $0.pack, policy: $0.policy, urn: $0.urn, message: $0.message,
                                      recorded: $0.recorded)
            })
        report.verdict = Engine.verdict(for: report.findings, failOn: report.verdict.failOn)
        return comparison
    }
}
