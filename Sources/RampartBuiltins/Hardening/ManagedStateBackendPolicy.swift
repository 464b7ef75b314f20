import RampartModel
import RampartPolicy

/// State lives in Pulumi Cloud (secrets provider `service`), or a self-managed backend encrypts it with a cloud KMS
/// secrets provider. Read from the state's `secrets_providers`, the stack file's `secretsprovider`/`encryptionsalt`
/// and Pulumi.yaml's `backend.url` (docs/formats.md §4, §6).
public struct ManagedStateBackendPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state, .stackFiles, .projectFile]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "managed-state-backend",
            description: "State is kept in Pulumi Cloud, or a self-managed backend encrypts secrets with a cloud KMS key.",
            severity: .medium,
            rationale: "Pulumi Cloud encrypts each stack with its own key and records access; a self-managed bucket falls back to the passphrase provider, whose one shared secret decrypts every stack and cannot be revoked per person.",
            remediation: "Move the stack to Pulumi Cloud (`pulumi stack export | pulumi stack import` after `pulumi login`), or keep the bucket and run `pulumi stack change-secrets-provider awskms://…` (azurekeyvault://, gcpkms://, hashivault://).")
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let stack = context.stack
        var violations: [StackEvaluation.Entry] = []
        var managed = false
        if let provider = stack.secretsProvider {
            switch provider.type {
            case "service", "cloud": managed = true
            case "passphrase", "b64":
                let what = provider.type == "b64" ? "the unencrypted test provider 'b64'" : "the passphrase provider"
                violations.append(violation("state of stack '\(stack.identity.stack)' is encrypted with \(what)", key: "state"))
            default: break
            }
        }
        if let file = context.evidence.stackFile(for: stack) {
            switch file.effectiveSecretsProvider {
            case "cloud": managed = true
            case "passphrase":
                let located = file.encryptionSalt ?? file.secretsProvider
                violations.append(violation("\(EvidenceText.fileName(file.path)) selects the passphrase secrets provider",
                                            location: located.map(\.location), key: file.path))
            default: break
            }
        }
        if !violations.isEmpty { return StackEvaluation(violations) }
        if managed { return .pass }
        if let url = context.evidence.project?.backendURL {
            if Self.isPulumiCloud(url) { return .pass }
            return .stackLevel(.violation(Violation(
                "Pulumi.yaml selects the self-managed backend '\(Self.scheme(url))' and no cloud KMS secrets provider is set, so secrets use the passphrase provider",
                detailKey: "backend")))
        }
        if stack.kind == .checkpoint {
            return .stackLevel(.violation(Violation(
                "stack '\(stack.identity.stack)' is kept in a self-managed backend and its state records no cloud KMS secrets provider", detailKey: "backend")))
        }
        return .stackLevel(EvidenceText.notEvaluable(
            "neither the state nor Pulumi.\(stack.identity.stack).yaml nor Pulumi.yaml names a secrets provider or backend \(context.evidence.whereSearched)"))
    }

    private func violation(_ message: String, location: SourceLocation? = nil, key: String) -> StackEvaluation.Entry {
        StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(message, location: location, detailKey: key)))
    }

    /// `https://…` backends are Pulumi Cloud (api.pulumi.com or a self-hosted Pulumi Cloud); everything else
    /// (`file://`, `s3://`, `azblob://`, `gs://`, `postgres://`) is self-managed.
    static func isPulumiCloud(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// The URL's scheme only: bucket names and paths stay out of reports.
    static func scheme(_ url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        return String(url[..<range.upperBound])
    }
}
