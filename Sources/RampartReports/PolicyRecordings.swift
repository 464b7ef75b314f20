import RampartJSON
import RampartPolicy

/// A reporter's own set of recordings (`JSONWriter.RecordedMembers?`, nil until first written), each a run of
/// members every finding of one policy at one level and outcome repeats word for word.
protocol RecordedRuns {
    init()
}

/// The recordings of the policy whose findings a reporter is writing, kept per batch
/// (`ReportOutput.writeElements(_:to:ahead:memo:_:)`) and written with `JSONWriter.replay(_:orRecord:)`.
/// Findings come a policy at a time, so the recordings made for one finding serve nearly every next one;
/// `select` forgets them when the next finding's policy, enforcement level, outcome or rule (the reporter's own
/// index of the policy, where its members name it) differs.
struct PolicyRecordings<Runs: RecordedRuns> {
    private var origin: Finding.Origin?
    private var level = EnforcementLevel.advisory
    private var outcome = OutcomeKind.violation
    private var rule = 0
    var runs = Runs()

    /// Keeps the recordings when they are `origin`'s at `level` and `outcome` under `rule`, else starts afresh.
    mutating func select(_ origin: Finding.Origin, _ level: EnforcementLevel, _ outcome: OutcomeKind, rule: Int = 0) {
        guard !(self.origin === origin && self.level == level && self.outcome == outcome && self.rule == rule) else { return }
        self.origin = origin
        self.level = level
        self.outcome = outcome
        self.rule = rule
        runs = Runs()
    }
}
