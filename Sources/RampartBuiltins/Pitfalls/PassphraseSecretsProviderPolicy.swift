import RampartModel
import RampartPolicy

/// A production stack whose secrets are encrypted with the passphrase provider (stack file `encryptionsalt` or
/// `secretsprovider: passphrase`, or state `secrets_providers.type == passphrase`).
public struct PassphraseSecretsProviderPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.stackFiles, .state]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "passphrase-secrets-provider",
            description: "A production stack encrypts its secrets with the passphrase provider.",
            severity: .medium,
            rationale: "A passphrase is a shared static secret: it cannot be rotated per person, is usually kept in CI variables next to the state, and leaves no audit trail of decryption.",
            remediation: "Switch the stack to Pulumi Cloud or a cloud KMS provider: `pulumi stack change-secrets-provider awskms://alias/...` (or azurekeyvault://, gcpkms://, hashivault://).",
            configSchema: ConfigSchema(properties: [
                "productionStackPattern": ConfigProperty(type: .string,
                    description: "Glob over the stack name (or org/project/stack) that marks production stacks.",
                    default: .string("*prod*")),
            ]))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let pattern = config.string("productionStackPattern") ?? "*prod*"
        let identity = context.stack.identity
        guard Glob.matches(pattern, identity.stack) || Glob.matches(pattern, identity.fullyQualified) else {
            return .stackLevel(.notApplicable("stack '\(identity.stack)' does not match the production pattern '\(pattern)'"))
        }
        // Either source naming the passphrase provider is a violation (the state is what is deployed; the stack
        // file is what the next update uses); a stack file that names no provider leaves the state to decide.
        let file = context.evidence.stackFile(for: context.stack)
        if let file, file.effectiveSecretsProvider == "passphrase" {
            let located = file.encryptionSalt ?? file.secretsProvider
            let what = file.encryptionSalt != nil ? "has an 'encryptionsalt'" : "sets 'secretsprovider: passphrase'"
            let message = "\(EvidenceText.fileName(file.path)) \(what): production stack '\(identity.stack)' uses the passphrase secrets provider"
            return .stackLevel(.violation(Violation(message, location: located.map(\.location), detailKey: file.path)))
        }
        if context.stack.secretsProvider?.type == "passphrase" {
            return .stackLevel(.violation(Violation("state of production stack '\(identity.stack)' is encrypted with the passphrase secrets provider")))
        }
        if file != nil || context.stack.secretsProvider != nil { return .pass }
        return .stackLevel(EvidenceText.notEvaluable("no Pulumi.\(identity.stack).yaml found \(context.evidence.whereSearched) and the state records no secrets provider"))
    }
}
