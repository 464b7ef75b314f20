import RampartModel
import RampartPolicy

/// Every production stack has at least one policy pack at `mandatory`, in Rampart's configuration (`rampart.yaml`,
/// the effective levels for the stack) or in a preventative Pulumi Cloud policy group that lists the stack.
public struct MandatoryPolicyEnforcementPolicy: StackPolicy, EvidenceDescribing {
    /// Judged per stack of the run from rampart.yaml's levels and the snapshot's policy groups; `rampart lint`
    /// (files only, no rampart.yaml levels per stack) leaves it out.
    public let evidence: Set<EvidenceKind> = [.organization, .state]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "mandatory-policy-enforcement",
            description: "Every production stack is gated by at least one policy pack at `mandatory`.",
            severity: .high,
            rationale: "Advisory policies are read by nobody under deadline; only a mandatory level stops a non-compliant change before it reaches production.",
            remediation: "Set the production stacks' packs to mandatory in rampart.yaml (`stacks: {\"*/*/prod\": {<pack>: {all: mandatory}}}`) or add them to a preventative Pulumi Cloud policy group whose pack config sets `all: mandatory`.",
            configSchema: ConfigSchema(properties: [
                "productionStackPattern": ProductionStack.configProperty,
            ]))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let pattern = ProductionStack.pattern(config)
        let identity = context.stack.identity
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        guard ProductionStack.matches(pattern, identity) else {
            return .stackLevel(.notApplicable("stack '\(identity.stack)' does not match the production pattern '\(pattern)'"))
        }
        let enforcement = context.evidence.enforcement
        if let enforcement, enforcement.mandatoryPolicies.values.contains(where: { !$0.isEmpty }) { return .pass }
        let groups = context.evidence.organization?.policyGroups
        if let groups {
            let covering = groups.filter { group in
                group.mode?.lowercased() != "audit"
                    && group.stacks.contains { $0.name == identity.stack && $0.routingProject == identity.project }
                    && group.appliedPolicyPacks.contains { !$0.mandatoryPolicies.isEmpty }
            }
            if !covering.isEmpty { return .pass }
        }
        var sources: [String] = []
        if let enforcement { sources.append(enforcement.source) }
        if groups != nil { sources.append("the organisation's policy groups") }
        guard !sources.isEmpty else {
            return .stackLevel(.indeterminate("not evaluable: no rampart.yaml and no organisation policy groups (--org) given"))
        }
        return .stackLevel(.violation(Violation(
            "production stack '\(identity.stack)' has no policy pack at mandatory in \(sources.joined(separator: " or "))", detailKey: "mandatory")))
    }
}
