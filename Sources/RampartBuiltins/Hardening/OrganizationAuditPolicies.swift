import RampartModel
import RampartPolicy

/// Audit logs are enabled, and exported when the policy is configured to require it.
public struct AuditLoggingPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "audit-logging",
            description: "Pulumi Cloud audit logs are enabled (and exported to the organisation's log store, when required).",
            severity: .medium,
            rationale: "Audit logs make every change to stacks, members, tokens and policies attributable; exported, they survive in the SIEM beyond Pulumi Cloud's retention.",
            remediation: "Enable audit logs (Enterprise/Business Critical editions) and configure automated export (Settings → Audit Logs → Export) to S3.",
            frameworks: [nist("AU-12")],
            configSchema: ConfigSchema(properties: [
                "requireExport": ConfigProperty(type: .boolean, description: "Also require automated audit-log export.", default: .bool(false)),
            ]))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: ["auditLogs"]) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        let logs = snapshot.auditLogs ?? OrganizationSnapshot.AuditLogs()
        let org = OrganizationEvidence.name(snapshot)
        // Events present means the log is on, whatever `enabled` says.
        let enabled = logs.enabled ?? (logs.events.map { !$0.isEmpty } == true ? true : nil)
        guard let enabled else {
            return .stackLevel(.indeterminate("not evaluable: the organisation snapshot's 'auditLogs' part does not say whether audit logs are enabled"))
        }
        guard enabled else { return OrganizationEvidence.violations([("\(org) has audit logs disabled", "enabled")]) }
        guard config.bool("requireExport") == true else { return .pass }
        switch logs.exportConfigured {
        case true?: return .pass
        case false?: return OrganizationEvidence.violations([("\(org) has audit logs enabled but no automated export configured", "export")])
        case nil: return .stackLevel(.indeterminate("not evaluable: the organisation snapshot's 'auditLogs' part does not say whether export is configured"))
        }
    }
}

/// Audit-log events show that stack history was reviewed within the window.
///
/// Which events count is configurable (`reviewEvents`, globs over the event name). The defaults match the events
/// recorded when someone reads a stack's history or state rather than changing it: names containing `history`,
/// `export`, `review`, or ending in `-viewed`.
public struct RevisionHistoryReviewedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.organization]
    static let defaultEvents = ["*history*", "*export*", "*review*", "*-viewed"]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "revision-history-reviewed",
            description: "Someone reviewed stack history (updates, exports) within the review window, as the audit log shows.",
            severity: .low,
            rationale: "Stack history records who changed what and from where; reviewing it regularly is how unexpected updates, state imports and exports get noticed.",
            remediation: "Review stack activity (Pulumi Cloud → Stack → Activity, or `pulumi stack history`) at least once per window, and include the audit-log events in the snapshot (`auditLogs.auditLogEvents`).",
            configSchema: ConfigSchema(properties: [
                "reviewWindowDays": ConfigProperty(type: .integer, description: "How recent the last review must be.", default: .number(30), minimum: 1),
                "reviewEvents": ConfigProperty(type: .array(items: .string), description: "Globs over audit-log event names that count as a review.",
                                               default: .array(Self.defaultEvents.map(ConfigValue.string))),
            ]))
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let snapshot: OrganizationSnapshot
        switch OrganizationEvidence.snapshot(context, needs: ["auditLogs"]) {
        case .failure(let refusal): return refusal.evaluation
        case .success(let s): snapshot = s
        }
        let org = OrganizationEvidence.name(snapshot)
        if snapshot.auditLogs?.enabled == false {
            return OrganizationEvidence.violations([("\(org) has audit logs disabled: no record shows stack history being reviewed", "disabled")])
        }
        guard let events = snapshot.auditLogs?.events else {
            return .stackLevel(OrganizationEvidence.missingParts(["auditLogs.auditLogEvents"], in: snapshot))
        }
        let window = (config.number("reviewWindowDays") ?? 30).clampedInt
        let patterns = config.strings("reviewEvents") ?? Self.defaultEvents
        let today = OrganizationEvidence.today(context.evidence)
        let reviews = events.filter { event in patterns.contains { Glob.matches($0, event.event) } }
        guard let last = reviews.max(by: { $0.timestamp < $1.timestamp }) else {
            return OrganizationEvidence.violations([("none of the \(events.count) audit-log events is a stack-history review (\(patterns.joined(separator: ", ")))", "none")])
        }
        let age = today - CivilDate(unixSeconds: last.timestamp)
        guard age <= window else {
            return OrganizationEvidence.violations([("stack history was last reviewed \(MessageText.count(age, "day")) ago ('\(last.event)' on \(CivilDate(unixSeconds: last.timestamp))), more than \(MessageText.count(window, "day"))", "stale")])
        }
        return .pass
    }
}
