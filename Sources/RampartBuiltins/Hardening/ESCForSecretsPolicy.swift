import RampartModel
import RampartPolicy

/// Stacks import ESC environments rather than holding long-lived secrets (`secure:` values) in the stack file.
public struct ESCForSecretsPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.stackFiles]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "esc-for-secrets",
            description: "Stack files hold long-lived secrets (`secure:` values) instead of importing a Pulumi ESC environment.",
            severity: .low,
            rationale: "Secrets copied into each stack file drift, are rotated by hand and are re-encrypted per stack; an ESC environment keeps one audited source and can issue short-lived credentials.",
            remediation: "Move the secrets to an ESC environment and import it with `environment: [<project>/<env>]` in the stack file.")
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        guard let file = context.evidence.stackFile(for: context.stack) else {
            return .stackLevel(EvidenceText.notEvaluable("no Pulumi.\(context.stack.identity.stack).yaml found \(context.evidence.whereSearched)"))
        }
        let secure = file.config.filter(\.containsSecure)
        guard let first = secure.first else { return .pass }
        guard file.environmentImports.isEmpty else { return .pass }
        let count = secure.count == 1 ? "1 secure: value" : "\(secure.count) secure: values"
        return .stackLevel(.violation(Violation(
            "\(EvidenceText.fileName(file.path)) holds \(count) and imports no ESC environment",
            location: first.location(of: ""), detailKey: file.path)))
    }
}
