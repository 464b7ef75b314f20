import RampartModel
import RampartPolicy

/// More organisation admins than allowed, or every member an admin.
public struct BroadOrgAdminPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "broad-org-admin",
            description: "The organisation has more admins than allowed, or makes every member an admin.",
            severity: .high,
            rationale: "Small teams often make everyone an admin to save a click; each admin can then read every stack's secrets, delete stacks and disable policy enforcement.",
            remediation: "Keep two or three admins for redundancy and demote the rest to members; grant stack access through teams.",
            frameworks: [nist("AC-6")],
            configSchema: ConfigSchema(properties: AdminThresholds.schema))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: ["members"]) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        let members = snapshot.members ?? []
        let admins = members.filter(\.isAdmin)
        if members.count > 1 && admins.count == members.count {
            return OrganizationEvidence.violations([("every one of the \(members.count) members of \(OrganizationEvidence.name(snapshot)) is an admin", "all")])
        }
        if let problem = AdminThresholds(config).problem(admins: admins, members: members) {
            return OrganizationEvidence.violations([(problem, "admins")])
        }
        return .pass
    }
}
