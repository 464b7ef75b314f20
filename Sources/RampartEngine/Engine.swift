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
        self.packs = packs.sorted { $0.name < $1.name }
        self.resolver = resolver
        self.exemptions = exemptions
        self.options = options
    }

    /// Evaluates every applicable, enabled policy over one stack.
    public func evaluate(_ stack: Stack, evidence: Evidence = .none) -> StackResult {
        let settings = resolver.settings(for: packs, stack: stack.identity)
        let plan = EvaluationPlan(packs: packs, settings: settings, graph: stack.graph)
        var evaluator = StackEvaluator(plan: plan, stack: stack, evidence: evidence, jobs: options.jobs)
        evaluator.keepsEveryOutcome = options.recordEvaluations
        let raw = evaluator.run()
        return ResultAssembler(engine: self, plan: plan, stack: stack).assemble(raw)
    }

    /// Combines per-stack results into the report value.
    public func report(_ results: [StackResult], inputs: [String], tool: ToolInfo, timestamp: String,
                       notices: [ReportNotice] = []) -> ScanReport {
        ReportBuilder(engine: self).build(results, inputs: inputs, tool: tool, timestamp: timestamp, notices: notices)
    }
}
