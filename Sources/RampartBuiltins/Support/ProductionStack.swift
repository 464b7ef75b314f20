import RampartModel
import RampartPolicy

/// Which stacks are production, for the policies configured with `productionStackPattern`
/// (`passphrase-secrets-provider`, `mandatory-policy-enforcement`).
///
/// The pattern is a glob (`*`, `?`) matched case-insensitively against as much of the stack's identity as it
/// names: a pattern without `/` against the stack name only (`*prod*` matches stacks `prod`, `Production` and
/// `eu-prod`, never project `prod-api`'s stack `dev`); `PROJECT/STACK` against project and stack; `ORG/PROJECT/STACK`
/// against all three. An organisation or project whose name happens to contain the word does not make every one of
/// its stacks production — only a pattern that names them does.
enum ProductionStack {
    static let defaultPattern = "*prod*"

    /// The config property both policies declare.
    static let configProperty = ConfigProperty(type: .string,
        description: "Glob marking production stacks, matched case-insensitively: without '/' against the stack name only; PROJECT/STACK or ORG/PROJECT/STACK against those parts of the stack's identity.",
        default: .string(defaultPattern))

    static func pattern(_ config: PolicyConfig) -> String { config.string("productionStackPattern") ?? defaultPattern }

    static func matches(_ pattern: String, _ identity: StackIdentity) -> Bool {
        // Unknown parts are filled with Pulumi's defaults (`StackIdentity.fullyQualified`).
        let parts = identity.fullyQualified.split(separator: "/", omittingEmptySubsequences: false)
        let named = min(pattern.split(separator: "/", omittingEmptySubsequences: false).count, parts.count)
        let subject = parts.suffix(named).joined(separator: "/")
        return Glob.matches(pattern.lowercased(), subject.lowercased())
    }
}
