import RampartPolicy

/// `builtin:hardening`: the security hardening checklist (docs/product.md §3a).
public enum HardeningPack {
    public static let name = "hardening"

    /// The checklist items, in the order of docs/product.md §3a: from stack files, state and workflows, from
    /// `rampart.yaml`, and from the organisation snapshot.
    public static var policies: [any Policy] {
        [
            SSOEnforcedPolicy(),
            DynamicProviderCredentialsPolicy(),
            ConfigSecretsEncryptedPolicy(),
            MandatoryPolicyEnforcementPolicy(),
            ManagedStateBackendPolicy(),
            StateBucketEncryptedPolicy(),
            StateBucketVersionedPolicy(),
            StateBucketPublicAccessBlockedPolicy(),
            StateBucketAccessLoggingPolicy(),
            LeastPrivilegeRBACPolicy(),
            ESCForSecretsPolicy(),
            RevisionHistoryReviewedPolicy(),
            TokenRotationPolicy(),
            AuditLoggingPolicy(),
        ]
    }

    public static var pack: PolicyPack {
        PolicyPack(name: name, version: "1.0.0",
                   description: "Pulumi's security hardening checklist: encrypted config, short-lived provider credentials, ESC, org settings.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(name)")
    }
}
