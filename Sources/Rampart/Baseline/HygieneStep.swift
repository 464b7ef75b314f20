import RampartEngine
import RampartModel
import RampartPolicy

/// Reports the upkeep a team owes its exemptions and baseline: exemptions past their `expires` date and baseline
/// entries older than the allowed age. They are findings of the `rampart` pack — advisory by default, mandatory
/// with `--strict` — so every reporter, level and verdict rule treats them like any other.
struct HygieneStep {
    static let pack = "rampart"
    static let expiredExemption = "expired-exemption"
    static let staleBaselineEntry = "stale-baseline-entry"

    let strict: Bool
    let toolVersion: String

    func apply(to report: inout ScanReport, staleEntries: [Baseline.Entry], maxAgeDays: Int?) {
        let level: EnforcementLevel = strict ? .mandatory : .advisory
        var added: [Finding] = []
        for exemption in report.exemptions where exemption.expired {
            let subject = exemption.urn ?? exemption.stack ?? "every matching resource"
            added.append(finding(policy: HygieneStep.expiredExemption, stack: exemption.stack ?? "", urn: exemption.urn,
                                 detail: exemption.policy + "|" + (exemption.expires ?? ""), level: level,
                                 message: "exemption of \(exemption.policy) for \(subject) expired on \(exemption.expires ?? "?") and no longer applies (reason was: \(exemption.reason))",
                                 remediation: "Fix the finding, or renew the exemption with a new expires date and an up-to-date reason."))
        }
        for entry in staleEntries {
            added.append(finding(policy: HygieneStep.staleBaselineEntry, stack: entry.stack, urn: entry.urn,
                                 detail: entry.fingerprint, level: level,
                                 message: "baseline entry for \(entry.pack)/\(entry.policy) recorded on \(entry.recorded) is older than \(maxAgeDays ?? 0) days",
                                 remediation: "Fix the finding so it leaves the baseline, or exempt it explicitly with a reason and an expiry."))
        }
        guard !added.isEmpty else { return }
        var counts: [String: OutcomeCounts] = [:]
        for f in added { counts[f.policy, default: OutcomeCounts()].add(.violation) }
        let policies = [(HygieneStep.expiredExemption, "Exemptions are renewed or removed when they expire."),
                        (HygieneStep.staleBaselineEntry, "Baselined findings are fixed within the allowed age.")]
            .map { name, description in
                PolicySummary(name: name, description: description, enforcementLevel: level, severity: .medium,
                              counts: counts[name] ?? OutcomeCounts())
            }
        report.packs.append(PackSummary(name: HygieneStep.pack, version: toolVersion,
                                        description: "Rampart's own checks on exemptions and baselines", policies: policies))
        report.findings.append(contentsOf: added)
        report.findings.sort { ($0.stack, $0.pack, $0.policy, $0.resource?.urn ?? "") < ($1.stack, $1.pack, $1.policy, $1.resource?.urn ?? "") }
        report.verdict = Engine.verdict(for: report.findings, failOn: report.verdict.failOn)
    }

    private func finding(policy: String, stack: String, urn: String?, detail: String, level: EnforcementLevel,
                         message: String, remediation: String) -> Finding {
        let resource = urn.flatMap { raw in
            URN(raw).map { ResourceRef(urn: raw, type: $0.type, name: $0.name) }
        }
        return Finding(stack: stack, resource: resource, pack: HygieneStep.pack, policy: policy, enforcementLevel: level,
                       severity: .medium, outcome: .violation, message: message, remediation: remediation, detailKey: detail,
                       fingerprint: Fingerprint.of(stack: stack, pack: HygieneStep.pack, policy: policy, urn: urn, detail: detail))
    }
}
