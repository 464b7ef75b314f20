import RampartPolicy

/// `builtin:hardening`: the security hardening checklist (PRODUCT.md §3a).
public enum HardeningPack {
    public static let name = "hardening"

    /// The checklist items evaluated from stack files, state and workflows. The org-snapshot items
    /// (`sso-enforced`, `least-privilege-rbac`, `token-rotation`, …) are appended to this list.
    public static var policies: [any Policy] {
        [
            ConfigSecretsEncryptedPolicy(),
            DynamicProviderCredentialsPolicy(),
            ESCForSecretsPolicy(),
        ]
    }

    public static var pack: PolicyPack {
        PolicyPack(name: name, version: "1.0.0",
                   description: "Pulumi's security hardening checklist: encrypted config, short-lived provider credentials, ESC, org settings.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(name)")
    }
}
