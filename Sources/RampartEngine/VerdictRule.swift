import RampartPolicy

extension Engine {
    /// The verdict for a set of findings (after exemptions and baseline): the rule `ReportBuilder` applies, public so
    /// that steps after evaluation (baselines) decide the same way.
    public static func verdict(for findings: [Finding], failOn: FailOn) -> Verdict {
        Verdict(failed: findings.contains { ReportBuilder.fails($0, failOn: failOn) }, failOn: failOn)
    }
}
