import RampartModel
import RampartPolicy

/// The report phase that decides the run policies (`RunPolicy`): one finding per expired exemption and per stale
/// baseline entry, at the level the run's settings give the policy for the finding's stack, waived by a matching
/// exemption like any finding.
struct HygienePhase {
    let engine: Engine
    /// The version the pack summary shows (the tool's).
    let version: String

    func apply(to report: inout ScanReport, staleEntries: [Baseline.Entry], maxAgeDays: Int?) {
        var added: [Finding] = []
        var summaries: [(pack: PolicyPack, policies: [any RunPolicy])] = []
        for pack in engine.packs {
            let policies = pack.policies.compactMap(\.asRunPolicy)
            guard !policies.isEmpty else { continue }
            summaries.append((pack, policies))
            for policy in policies {
                switch policy.check {
                case .expiredExemption:
                    for exemption in report.exemptions where exemption.expired {
                        let subject = exemption.urn ?? exemption.stack ?? "every matching resource"
                        added += finding(pack, policy, stack: exemption.stack ?? "", urn: exemption.urn,
                                         detail: exemption.policy + "|" + (exemption.expires ?? ""),
                                         message: "exemption of \(exemption.policy) for \(subject) expired on \(exemption.expires ?? "?") and no longer applies (reason was: \(exemption.reason))")
                    }
                case .staleBaselineEntry:
                    for entry in staleEntries {
                        added += finding(pack, policy, stack: entry.stack, urn: entry.urn, detail: entry.fingerprint,
                                         message: "baseline entry for \(entry.pack)/\(entry.policy) recorded on \(entry.recorded) is older than \(maxAgeDays ?? 0) days")
                    }
                }
            }
        }
        // A run policy shows in the report when it found something (reports of clean runs stay as they were).
        guard !added.isEmpty else { return }
        for (pack, policies) in summaries {
            let own = added.filter { $0.pack == pack.name }
            guard !own.isEmpty else { continue }
            let summaries = policies.map { policy in
                let d = policy.descriptor
                var counts = OutcomeCounts()
                var level: EnforcementLevel?
                for f in own where f.policy == d.name {
                    counts.add(.violation)
                    level = ReportBuilder.stricter(level, f.enforcementLevel)
                }
                return PolicySummary(name: d.name, description: d.description,
                                     enforcementLevel: level ?? d.enforcementLevel ?? pack.enforcementLevel,
                                     severity: d.severity, counts: counts)
            }
            report.packs.append(PackSummary(name: pack.name, version: version, description: pack.description, policies: summaries))
        }
        report.findings.append(contentsOf: added)
        report.findings.sort { ($0.stack, $0.pack, $0.policy, $0.resource?.urn ?? "") < ($1.stack, $1.pack, $1.policy, $1.resource?.urn ?? "") }
    }

    /// The finding, or none when the policy is disabled for the stack.
    private func finding(_ pack: PolicyPack, _ policy: any RunPolicy, stack: String, urn: String?, detail: String,
                         message: String) -> [Finding] {
        let d = policy.descriptor
        let identity = StackIdentity(parsing: stack) ?? StackIdentity(organization: nil, project: nil, stack: stack)
        let key = PolicyKey(pack: pack.name, policy: d.name)
        let level = engine.resolver.settings(for: [pack], stack: identity).levels[key] ?? d.enforcementLevel ?? pack.enforcementLevel
        guard level != .disabled else { return [] }
        let parsed = urn.flatMap(URN.init)
        let resource = parsed.map { ResourceRef(urn: urn!, type: $0.type, name: $0.name) }
        let exemption = engine.exemptions.first {
            !$0.isExpired(today: engine.options.today)
                && $0.matches(pack: pack.name, policy: d.name, stack: identity, urn: urn, type: parsed?.type)
        }
        return [Finding(stack: stack, resource: resource, pack: pack.name, policy: d.name, enforcementLevel: level,
                        severity: d.severity, outcome: .violation, message: message, remediation: d.remediation,
                        detailKey: detail,
                        fingerprint: Fingerprint.of(stack: stack, pack: pack.name, policy: d.name, urn: urn, detail: detail),
                        exemption: exemption.map {
                            ExemptionRecord(policy: $0.policy, urn: urn, stack: stack, reason: $0.reason, expires: $0.expires,
                                            expired: false, source: $0.source)
                        })]
    }
}
