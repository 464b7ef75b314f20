import RampartPolicy

extension PolicyPack {
    /// Whether every policy of the pack is a run policy (`builtin:rampart`).
    var isRunPack: Bool { !policies.isEmpty && policies.allSatisfy { $0.asRunPolicy != nil } }
}

/// `builtin:rampart`: Rampart's own checks on the exemptions and baselines a team keeps. Every run includes it,
/// whichever packs it names, so expired exemptions and stale baseline entries are reported by `scan`, `lint` and
/// `audit` alike.
public enum HygienePack {
    public static let name = "rampart"

    /// The pack; `strict` (`--strict`) makes both checks mandatory by default instead of advisory. A level set in
    /// `rampart.yaml` or a policy pack config still wins, as for any pack default.
    public static func pack(version: String, strict: Bool = false) -> PolicyPack {
        PolicyPack(name: name, version: version, description: "Rampart's own checks on exemptions and baselines",
                   enforcementLevel: strict ? .mandatory : .advisory,
                   policies: [HygienePolicy.expiredExemption, HygienePolicy.staleBaselineEntry], origin: "builtin:\(name)")
    }
}

/// One of the hygiene pack's two policies.
struct HygienePolicy: RunPolicy {
    let descriptor: PolicyDescriptor
    let check: RunCheck

    static let expiredExemption = HygienePolicy(descriptor: PolicyDescriptor(
        name: "expired-exemption", description: "Exemptions are renewed or removed when they expire.", severity: .medium,
        rationale: "An exemption records a decision to accept a finding for a while. Once its date has passed it no longer waives the finding, and the decision behind it needs a second look: fix the finding or renew the exemption with a current reason.",
        remediation: "Fix the finding, or renew the exemption with a new expires date and an up-to-date reason."),
        check: .expiredExemption)

    static let staleBaselineEntry = HygienePolicy(descriptor: PolicyDescriptor(
        name: "stale-baseline-entry", description: "Baselined findings are fixed within the allowed age.", severity: .medium,
        rationale: "A baseline lets a team adopt Rampart without fixing every known finding first. An entry that stays for months is debt nobody is paying: after the allowed age (--baseline-max-age, 180 days by default) it is reported.",
        remediation: "Fix the finding so it leaves the baseline, or exempt it explicitly with a reason and an expiry."),
        check: .staleBaselineEntry)
}
