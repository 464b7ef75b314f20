import RampartModel
import RampartPolicy

/// An engine with its settings resolved for one stack identity: the enabled policies with their level and config,
/// computed once. For hosts that evaluate many small stacks of one identity — the Pulumi analyzer evaluates one
/// resource per call — so each evaluation pays only for its resources, not for resolving the settings again.
public struct PreparedEngine: Sendable {
    public let engine: Engine
    public let identity: StackIdentity
    /// Every policy's effective level and config for `identity` (disabled ones included).
    public let settings: StackPolicySettings
    let entries: [EvaluationPlan.Entry]

    public init(_ engine: Engine, identity: StackIdentity) {
        self.engine = engine
        self.identity = identity
        settings = engine.resolver.settings(for: engine.packs, stack: identity)
        entries = EvaluationPlan.entries(packs: engine.packs, settings: settings)
    }

    /// Evaluates every applicable, enabled policy over one stack, exactly as `Engine.evaluate`. A stack of another
    /// identity gets its own settings, so the result never depends on which identity was prepared.
    public func evaluate(_ stack: Stack, evidence: Evidence = .none) -> StackResult {
        guard stack.identity == identity else { return PreparedEngine(engine, identity: stack.identity).evaluate(stack, evidence: evidence) }
        let plan = EvaluationPlan(entries: entries, graph: stack.graph)
        var evaluator = StackEvaluator(plan: plan, stack: stack, evidence: evidence, jobs: engine.options.jobs)
        evaluator.keepsEveryOutcome = engine.options.recordEvaluations
        let raw = evaluator.run()
        return ResultAssembler(engine: engine, plan: plan, stack: stack).assemble(raw)
    }
}
