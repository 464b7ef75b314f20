import Dispatch
import RampartModel
import RampartPolicy

/// How the engine runs.
public struct EngineOptions: Sendable {
    /// Worker count; 1 runs everything on the calling thread.
    public var jobs: Int
    public var failOn: FailOn
    /// Today's date `YYYY-MM-DD`, for exemption expiry.
    public var today: String
    /// Keep a record of every evaluation (needed by reporters that list passes, e.g. JUnit).
    public var recordEvaluations: Bool

    public init(jobs: Int = 1, failOn: FailOn = .mandatory, today: String, recordEvaluations: Bool = true) {
        self.jobs = max(1, jobs)
        self.failOn = failOn
        self.today = today
        self.recordEvaluations = recordEvaluations
    }
}

/// Evaluates policies over stacks. It never learns where a policy came from: built-in, YAML and Swift packs are
/// all `PolicyPack` values. Evaluation is concurrent; results are sorted so output is identical for any job count.
public struct Engine: Sendable {
    public let packs: [PolicyPack]
    public let resolver: SettingsResolver
    public let exemptions: [Exemption]
    public let options: EngineOptions

    public init(packs: [PolicyPack], resolver: SettingsResolver = SettingsResolver(), exemptions: [Exemption] = [],
                options: EngineOptions) {
        // Packs of run policies go last: the report lists them only when they find something, and reports index
        // packs by their place in this list.
        self.packs = packs.sorted { ($0.isRunPack ? 1 : 0, $0.name) < ($1.isRunPack ? 1 : 0, $1.name) }
        self.resolver = resolver
        self.exemptions = exemptions
        self.options = options
    }

    /// Evaluates every applicable, enabled policy over one stack.
    public func evaluate(_ stack: Stack, evidence: Evidence = .none) -> StackResult {
        PreparedEngine(self, identity: stack.identity).evaluate(stack, evidence: evidence)
    }

    /// Evaluates like `evaluate(_:evidence:)`, taking the stack and freeing it before the findings are assembled
    /// (`PreparedEngine.evaluate(taking:evidence:freeing:)`).
    public func evaluate(taking stack: consuming Stack, evidence: Evidence = .none, freeing: StackFreeing = .here) -> StackResult {
        let prepared = PreparedEngine(self, identity: stack.identity)
        return prepared.evaluate(taking: consume stack, evidence: evidence, freeing: freeing)
    }

    /// Combines per-stack results into the report value, then runs the phases after evaluation — the baseline
    /// comparison, then the run policies (expired exemptions, stale baseline entries) — and decides the verdict
    /// once, from the final findings.
    ///
    /// Takes `results`: a caller that keeps no other copy of them lets the report's findings and evaluations be
    /// theirs, without a copy.
    public func report(_ results: consuming [StackResult], inputs: [String], tool: ToolInfo, timestamp: String,
                       notices: [ReportNotice] = [], baseline: BaselineComparisonInput? = nil,
                       inputFailures: [InputFailure] = []) -> ScanReport {
        var report = ReportBuilder(engine: self).build(consume results, inputs: inputs, tool: tool, timestamp: timestamp, notices: notices)
        report.inputFailures = inputFailures
        var stale: [Baseline.Entry] = []
        if let baseline {
            let comparison = BaselineMatcher(baseline: baseline.baseline, aliases: baseline.aliases)
                .apply(to: &report, today: options.today, maxAgeDays: baseline.maxAgeDays)
            report.baseline = BaselineSummary(
                file: baseline.file, known: comparison.known, new: comparison.new,
                resolved: comparison.resolved.map {
                    BaselineSummary.Entry(stack: $0.stack, pack: $0.pack, policy: $0.policy, urn: $0.urn, message: $0.message,
                                          recorded: $0.recorded)
                })
            stale = comparison.stale
        }
        HygienePhase(engine: self, version: tool.version)
            .apply(to: &report, staleEntries: stale, maxAgeDays: baseline?.maxAgeDays)
        let failOn = options.failOn
        report.verdict = Verdict(failed: report.findings.containsReadingAhead(workers: options.jobs) { ReportBuilder.fails($0, failOn: failOn) },
                                 failOn: options.failOn, incomplete: !inputFailures.isEmpty)
        return report
    }
}

/// A baseline to compare a run's findings with.
public struct BaselineComparisonInput: Sendable {
    public var baseline: Baseline
    /// The file it was read from, for reports.
    public var file: String
    /// URN → its aliases (old URNs) from the scanned state, so renamed resources keep their entries.
    public var aliases: [String: [String]]
    /// Entries older than this many days are reported by `rampart/stale-baseline-entry`; nil = never.
    public var maxAgeDays: Int?

    public init(baseline: Baseline, file: String, aliases: [String: [String]] = [:], maxAgeDays: Int? = nil) {
        self.baseline = baseline
        self.file = file
        self.aliases = aliases
        self.maxAgeDays = maxAgeDays
    }
}
