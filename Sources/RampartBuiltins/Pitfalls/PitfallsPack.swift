import RampartPolicy

/// `builtin:pitfalls`: known Pulumi pitfalls (docs/product.md §3a).
public enum PitfallsPack {
    public static let name = "pitfalls"

    /// The pack's policies, in the order of docs/product.md §3a.
    public static var policies: [any Policy] {
        [
            PlaintextSecretsInConfigPolicy(),
            PlaintextSecretsInStatePolicy(),
            StaticCloudKeysInCIPolicy(),
            BroadOrgAdminPolicy(),
            UnprotectedStackReferencePolicy(),
            PassphraseSecretsProviderPolicy(),
        ]
    }

    public static var pack: PolicyPack {
        PolicyPack(name: name, version: "1.0.0",
                   description: "Known Pulumi pitfalls: plaintext secrets in config and state, static cloud keys in CI, weak secrets providers, broad org admin, plaintext stack-reference outputs.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(name)")
    }
}
