import RampartPolicy

/// `builtin:pitfalls`: known Pulumi pitfalls (PRODUCT.md §3a).
public enum PitfallsPack {
    public static let name = "pitfalls"

    /// The pack's policies. Policies for other pitfalls (org snapshot, stack references) are appended here.
    public static var policies: [any Policy] {
        [
            PlaintextSecretsInConfigPolicy(),
            PlaintextSecretsInStatePolicy(),
            StaticCloudKeysInCIPolicy(),
            PassphraseSecretsProviderPolicy(),
        ]
    }

    public static var pack: PolicyPack {
        PolicyPack(name: name, version: "1.0.0",
                   description: "Known Pulumi pitfalls: plaintext secrets in config and state, static cloud keys in CI, weak secrets providers.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(name)")
    }
}
