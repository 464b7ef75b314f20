import RampartModel
import RampartPolicy

/// SSO (SAML or OIDC) is configured and enforced for every member.
public struct SSOEnforcedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "sso-enforced",
            description: "The organisation signs members in through SAML or OIDC single sign-on, and enforces it.",
            severity: .high,
            rationale: "With SSO enforced, leaving the identity provider removes access to Pulumi Cloud; without it, personal GitHub/GitLab or email logins outlive employment and skip the company's MFA policy.",
            remediation: "Configure SAML or OIDC SSO in Pulumi Cloud (Settings → Access Management) and turn on enforcement; pair it with SCIM so deprovisioning is automatic.",
            frameworks: [nist("IA-2")])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: ["sso"]) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        guard let sso = snapshot.sso else { return .pass }
        let org = OrganizationEvidence.name(snapshot)
        guard let provider = sso.provider, ["saml", "oidc"].contains(provider.lowercased()) else {
            return OrganizationEvidence.violations([("\(org) has no SAML or OIDC single sign-on configured", "sso")])
        }
        guard sso.enforced else {
            return OrganizationEvidence.violations([("\(org) has \(provider.uppercased()) SSO configured but not enforced: members can still sign in otherwise", "sso")])
        }
        return .pass
    }
}

/// Admins are few, stack access goes through teams, and no team is admin on every stack.
public struct LeastPrivilegeRBACPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "least-privilege-rbac",
            description: "Few organisation admins, stack access granted through teams, and no team with admin on every stack.",
            severity: .medium,
            rationale: "Admins can change every stack, its secrets and the org's policies; access granted to people one by one (stack collaborators) is never reviewed, and a team that is admin everywhere is an org admin in disguise.",
            remediation: "Demote admins to members, grant stack access to teams (Settings → Teams) with the least permission (read/edit), remove stack collaborators, and give admin on a stack only to the team that owns it.",
            frameworks: [nist("AC-6")],
            configSchema: ConfigSchema(properties: AdminThresholds.schema))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: []) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        var found: [(message: String, key: String)] = []
        if let members = snapshot.members {
            if let problem = AdminThresholds(config).problem(admins: members.filter(\.isAdmin), members: members) {
                found.append((problem, "admins"))
            }
            let direct = members.filter { $0.role == "stack-collaborator" }.map(\.login).sorted()
            if !direct.isEmpty {
                found.append(("\(direct.count) member(s) get stack access directly as stack collaborators rather than through a team: \(direct.joined(separator: ", "))", "stack-collaborators"))
            }
        }
        if let teams = snapshot.teams {
            let everyStack = Set(teams.flatMap { $0.stacks ?? [] }.map { "\($0.projectName)/\($0.stackName)" })
            for team in teams.sorted(by: { $0.name < $1.name }) {
                let admin = Set((team.stacks ?? []).filter(\.isAdmin).map { "\($0.projectName)/\($0.stackName)" })
                if everyStack.count > 1 && admin == everyStack {
                    found.append(("team '\(team.name)' is admin on every stack the organisation grants (\(everyStack.count))", "team:\(team.name)"))
                }
            }
        }
        if !found.isEmpty { return OrganizationEvidence.violations(found) }
        let missing = ["members", "teams"].filter { !snapshot.has($0) }
        return missing.isEmpty ? .pass : .stackLevel(OrganizationEvidence.missingParts(missing, in: snapshot))
    }
}

/// No organisation, team or personal token older than the rotation window that is still valid, and none without an
/// expiry.
public struct TokenRotationPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "token-rotation",
            description: "Access tokens expire and are rotated: none without an expiry, none valid and older than the rotation window.",
            severity: .high,
            rationale: "A Pulumi access token can read every secret of every stack its owner can reach; a token that never expires, or has lived for months, has been copied into more places than anyone remembers.",
            remediation: "Create tokens with an expiry, rotate them within the window, delete unused ones, and prefer OIDC token exchange in CI (`pulumi login` with an id token) over stored tokens.",
            frameworks: [nist("IA-5")],
            configSchema: ConfigSchema(properties: [
                "maxTokenAgeDays": ConfigProperty(type: .integer, description: "Longest a token may stay valid after it was created.",
                                                  default: .number(90), minimum: 1),
            ]))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: ["tokens"]) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        let maxAge = (config.number("maxTokenAgeDays") ?? 90).clampedInt
        let today = OrganizationEvidence.today(context.evidence)
        var found: [(message: String, key: String)] = []
        for token in (snapshot.tokens ?? []).sorted(by: { ($0.scope, $0.name, $0.id) < ($1.scope, $1.name, $1.id) }) {
            let label = "\(token.scope) token '\(token.name.isEmpty ? token.id : token.name)'" + (token.createdBy.map { " (created by \($0))" } ?? "")
            if token.expires == 0 {
                found.append(("\(label) never expires", "\(token.scope):\(token.id)"))
                continue
            }
            guard CivilDate(unixSeconds: token.expires) >= today, let created = CivilDate(parsing: token.created) else { continue }
            let age = today - created
            if age > maxAge {
                found.append(("\(label) is \(MessageText.count(age, "day")) old and still valid (rotate within \(MessageText.count(maxAge, "day")))", "\(token.scope):\(token.id)"))
            }
        }
        return found.isEmpty ? .pass : OrganizationEvidence.violations(found)
    }
}
