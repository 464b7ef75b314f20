import Foundation
import RampartModel
import RampartPolicy

/// How the organisation-snapshot policies get at their evidence, and the words they use when it is missing.
enum OrganizationEvidence {
    /// The reason given when no snapshot was passed.
    static let noSnapshot = "not evaluable: no organisation snapshot given (--org)"

    /// The snapshot, or the outcome to report instead: not-applicable for stacks other than the one that carries
    /// organisation-wide items, not evaluable when the snapshot (or a part the policy needs) is missing.
    static func snapshot(_ context: StackContext, needs parts: [String]) -> Result<OrganizationSnapshot, Refusal> {
        if let subject = context.evidence.organizationSubject, subject != context.stack.identity.description {
            return .failure(Refusal(.stackLevel(.notApplicable("organisation settings are reported under \(subject)"))))
        }
        guard let snapshot = context.evidence.organization else { return .failure(Refusal(.stackLevel(.indeterminate(noSnapshot)))) }
        let missing = parts.filter { !snapshot.has($0) }
        guard missing.isEmpty else { return .failure(Refusal(.stackLevel(missingParts(missing, in: snapshot)))) }
        return .success(snapshot)
    }

    static func missingParts(_ parts: [String], in snapshot: OrganizationSnapshot) -> Outcome {
        let list = parts.map { "'\($0)'" }.joined(separator: " or ")
        return .indeterminate("not evaluable: the organisation snapshot \(EvidenceText.fileName(snapshot.source)) has no \(list) part")
    }

    /// An outcome to report instead of evaluating.
    struct Refusal: Error {
        let evaluation: StackEvaluation
        init(_ evaluation: StackEvaluation) { self.evaluation = evaluation }
    }

    /// One stack-level violation per message, keyed for stable fingerprints.
    static func violations(_ items: [(message: String, key: String)]) -> StackEvaluation {
        StackEvaluation(items.map { StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation($0.message, detailKey: $0.key))) })
    }

    /// The run's date (`Evidence.today`), else the current UTC date.
    static func today(_ evidence: Evidence) -> CivilDate {
        if let text = evidence.today, let date = CivilDate(parsing: text) { return date }
        return CivilDate(unixSeconds: Int(Date().timeIntervalSince1970))
    }

    /// `acme` or `the organisation`.
    static func name(_ snapshot: OrganizationSnapshot) -> String {
        snapshot.organization.map { "organisation '\($0)'" } ?? "the organisation"
    }
}

extension OrganizationSnapshot {
    /// Whether the part named as in the snapshot file was given.
    func has(_ part: String) -> Bool {
        switch part {
        case "members": return members != nil
        case "teams": return teams != nil
        case "tokens": return tokens != nil
        case "policyGroups": return policyGroups != nil
        case "auditLogs": return auditLogs != nil
        case "auditLogs.auditLogEvents": return auditLogs?.events != nil
        case "sso": return sso != nil
        case "scim": return scim != nil
        default: return false
        }
    }
}

/// Admin-count thresholds shared by `least-privilege-rbac` and `broad-org-admin`.
struct AdminThresholds {
    let maxAdmins: Int
    let maxRatio: Double

    init(_ config: PolicyConfig) {
        maxAdmins = (config.number("maxAdmins") ?? 5).clampedInt
        maxRatio = config.number("maxAdminRatio") ?? 0.2
    }

    static let schema: [String: ConfigProperty] = [
        "maxAdmins": ConfigProperty(type: .integer, description: "Most organisation admins allowed.", default: .number(5), minimum: 1),
        "maxAdminRatio": ConfigProperty(type: .number,
            description: "Largest share of members that may be admins; checked only above two admins (two are always allowed, for redundancy).",
            default: .number(0.2), minimum: 0, maximum: 1),
    ]

    /// Why the admins are too many, or nil.
    func problem(admins: [OrganizationSnapshot.Member], members: [OrganizationSnapshot.Member]) -> String? {
        let names = admins.map(\.login).sorted()
        let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
        if names.count > maxAdmins {
            return "\(names.count) of \(members.count) members are admins (at most \(maxAdmins) allowed): \(shown)"
        }
        let ratio = members.isEmpty ? 0 : Double(names.count) / Double(members.count)
        if names.count > 2 && ratio > maxRatio {
            let percent = Int((ratio * 100).rounded())
            return "\(names.count) of \(members.count) members (\(percent)%) are admins (at most \(Int((maxRatio * 100).rounded()))% allowed): \(shown)"
        }
        return nil
    }
}

/// The stack under which `rampart audit` reports organisation-wide items: it has no resources and no files, so
/// per-stack items say "no stacks given" there instead of judging it.
public enum OrganizationScope {
    public static let project = "(organization)"
    public static let stack = "(organization)"

    public static func identity(organization: String?) -> StackIdentity {
        StackIdentity(organization: organization, project: project, stack: stack)
    }

    static func contains(_ stack: Stack) -> Bool {
        stack.identity.project == project && stack.identity.stack == self.stack && stack.graph.count == 0
    }

    static let noStacks = Outcome.indeterminate("not evaluable: no stacks given (state, backend directory or --project)")
}
