import RampartModel
import RampartPolicy

/// No static cloud keys in stack config (even `secure:`), in provider resources' inputs, or in CI workflows; CI
/// obtains credentials through OIDC.
public struct DynamicProviderCredentialsPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.stackFiles, .state, .workflows]

    public init() {}

    /// Explicit provider resources, whatever their package.
    static let providers = TypeSelector(["pulumi:providers:*"])

    /// Provider config keys that hold long-lived keys (the providers' documented credential settings).
    /// `kubernetes:kubeconfig` counts only with embedded credentials.
    static let staticKeys: Set<String> = [
        "aws:accessKey", "aws:secretKey", "aws:token",
        "azure-native:clientSecret", "azure-native:clientCertificatePassword", "azure:clientSecret",
        "azure:clientCertificatePassword", "azuread:clientSecret", "azuread:clientCertificatePassword",
        "gcp:credentials", "digitalocean:token", "digitalocean:spacesSecretKey", "cloudflare:apiToken", "cloudflare:apiKey",
        "alicloud:accessKey", "alicloud:secretKey", "hcloud:token", "linode:token",
    ]

    /// Provider resource inputs that hold long-lived keys, by provider package.
    static let providerInputs: [String: [String]] = [
        "aws": ["accessKey", "secretKey", "token"],
        "azure-native": ["clientSecret", "clientCertificatePassword"],
        "azure": ["clientSecret", "clientCertificatePassword"],
        "azuread": ["clientSecret", "clientCertificatePassword"],
        "gcp": ["credentials"],
        "digitalocean": ["token", "spacesSecretKey"],
        "cloudflare": ["apiToken", "apiKey"],
    ]

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "dynamic-provider-credentials",
            description: "Cloud providers get short-lived credentials (OIDC) rather than static keys in stack config, provider resources or CI.",
            severity: .high,
            rationale: "A static key is valid until someone rotates it, even when stored encrypted; OIDC (Pulumi ESC login providers, GitHub/GitLab id tokens) issues credentials that expire within the hour.",
            remediation: "Remove aws:accessKey/secretKey (and similar) from stack config and provider resources; configure OIDC in CI and an ESC environment with `fn::open::aws-login` (or the Azure/GCP equivalent).",
            frameworks: [nist("IA-5(7)")],
            examples: [
                PolicyExample(type: "pulumi:providers:aws", properties: #"{"region": "us-east-1", "accessKey": "x", "secretKey": "y"}"#,
                              expect: .violation, note: "explicit provider with static keys"),
            ])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let evidence = context.evidence
        var entries: [StackEvaluation.Entry] = []
        let file = evidence.stackFile(for: context.stack)
        for entry in file?.config ?? [] where Self.isStaticKey(entry) {
            let how = entry.containsSecure ? "(encrypted, but still a long-lived key)" : "in plaintext"
            entries.append(StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(
                "\(EvidenceText.fileName(entry.file)): '\(entry.key)' sets a static provider credential \(how)",
                location: entry.location(of: ""), detailKey: "\(entry.file):\(entry.key)"))))
        }
        let graph = context.stack.graph
        // Providers found by type (in graph order): a pass over every resource's record ran alone at the end of a
        // large stack's evaluation.
        for provider in context.resources(matching: Self.providers) {
            let (index, resource) = (provider.index, provider.resource)
            let package = String(resource.type.dropFirst("pulumi:providers:".count))
            let present = (Self.providerInputs[package] ?? []).filter { key in
                guard let v = resource.inputs?[key] else { return false }
                return !v.isNull && !(v.string?.isEmpty ?? false)
            }
            guard !present.isEmpty else { continue }
            entries.append(StackEvaluation.Entry(resourceIndex: index, outcome: .violation(Violation(
                "provider '\(resource.name)' is configured with static credentials: \(present.joined(separator: ", "))",
                detailKey: present.joined(separator: ",")))))
        }
        // Workflows are shared by the project's stacks; they are reported under the stack that owns them.
        for workflow in evidence.ownsProjectFiles(context.stack) ? evidence.workflows : [] {
            for use in WorkflowAnalysis(workflow).staticUses(families: Set(CredentialFamily.allCases)) {
                let scope = use.job.map { "job '\($0)'" } ?? "every job"
                entries.append(StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(
                    "\(EvidenceText.fileName(workflow.path)): \(scope) authenticates to \(use.family.rawValue.uppercased()) with a static credential '\(use.name)' instead of OIDC",
                    location: use.location, detailKey: "\(workflow.path):\(use.path)"))))
            }
        }
        if !entries.isEmpty { return StackEvaluation(entries) }
        var missing: [String] = []
        if file == nil && graph.count == 0 { missing.append("no Pulumi.\(context.stack.identity.stack).yaml or state") }
        if evidence.workflows.isEmpty { missing.append("no CI workflows") }
        guard missing.isEmpty else {
            return .stackLevel(EvidenceText.notEvaluable("\(missing.joined(separator: " and ")) found \(evidence.whereSearched)"))
        }
        return .pass
    }

    static func isStaticKey(_ entry: ConfigEntry) -> Bool {
        if staticKeys.contains(entry.key) {
            return !entry.value.isNull && !(entry.value.string?.isEmpty ?? false)
        }
        // A kubeconfig written into config (not a path) with a token, client key or password inside.
        if entry.key == "kubernetes:kubeconfig", let text = entry.value.string {
            return text.contains("token:") || text.contains("client-key-data") || text.contains("password:")
        }
        return false
    }
}
