import RampartModel
import RampartPolicy

/// A synthetic report of `stacks` stacks shaped like a backend scan with every built-in pack: a few mandatory
/// violations on some stacks, advisory ones on most, an exempted one now and then, and the checks a state scan
/// can never evaluate (organisation snapshot, project files) on every stack. Deterministic.
enum FleetReport {
    static let policies: [(pack: String, name: String, level: EnforcementLevel, severity: Severity, type: String)] = [
        ("aws", "s3-bucket-public-access-block", .mandatory, .high, "aws:s3/bucket:Bucket"),
        ("aws", "rds-storage-encrypted", .mandatory, .critical, "aws:rds/instance:Instance"),
        ("aws", "s3-bucket-versioning-enabled", .advisory, .medium, "aws:s3/bucket:Bucket"),
        ("aws", "lambda-tracing-active", .advisory, .low, "aws:lambda/function:Function"),
        ("aws", "ec2-imdsv2-required", .advisory, .high, "aws:ec2/instance:Instance"),
        ("awsguard", "elb-logging-enabled", .advisory, .medium, "aws:lb/loadBalancer:LoadBalancer"),
    ]

    /// The not-evaluable reasons of a state scan, as the hardening and pitfalls packs word them.
    static func notEvaluable(stack: String) -> [(pack: String, policy: String, severity: Severity, reason: String)] {
        let org = "not evaluable: no organisation snapshot given (--org)"
        return [
            ("hardening", "audit-logging", .medium, org), ("hardening", "least-privilege-rbac", .medium, org),
            ("hardening", "revision-history-reviewed", .low, org), ("hardening", "sso-enforced", .high, org),
            ("hardening", "token-rotation", .high, org), ("pitfalls", "broad-org-admin", .high, org),
            ("hardening", "config-secrets-encrypted", .high, "not evaluable: no Pulumi.\(stack).yaml found among the inputs"),
            ("hardening", "dynamic-provider-credentials", .high, "not evaluable: no CI workflows found among the inputs"),
            ("hardening", "esc-for-secrets", .low, "not evaluable: no Pulumi.\(stack).yaml found among the inputs"),
            ("pitfalls", "plaintext-secrets-in-config", .high, "not evaluable: no Pulumi.yaml or Pulumi.\(stack).yaml found among the inputs"),
            ("pitfalls", "static-cloud-keys-in-ci", .high, "not evaluable: no CI workflows found among the inputs"),
        ]
    }

    static func make(stacks count: Int) -> ScanReport {
        var stacks: [StackSummary] = []
        var findings: [Finding] = []
        var counts = Array(repeating: OutcomeCounts(), count: policies.count)
        var failed = false
        for s in 0..<count {
            let short = "env\(s)"
            let name = "acme/app\(s % 37)/\(short)"
            let resources = 12 + (s * 7) % 40
            var refs: [ResourceRef] = []
            for (p, policy) in policies.enumerated() {
                // Mandatory violations on one stack in seven, advisory ones on most; the rest pass.
                let violations: Int
                switch policy.level {
                case .mandatory: violations = s % 7 == 3 ? 1 + (s + p) % 2 : 0
                default: violations = (s + p) % 4 == 0 ? 0 : 1 + (s * 3 + p) % 3
                }
                for v in 0..<violations {
                    let resourceName = "\(policy.name.split(separator: "-").first!)-\(v)"
                    let ref = ResourceRef(urn: "urn:pulumi:\(short)::app::\(policy.type)::\(resourceName)", type: policy.type, name: resourceName)
                    refs.append(ref)
                    let exempted = s % 11 == 5 && v == 0 && policy.level == .advisory
                    findings.append(Finding(stack: name, resource: ref, pack: policy.pack, policy: policy.name,
                                            enforcementLevel: policy.level, severity: policy.severity, outcome: .violation,
                                            message: "\(ref.name) fails \(policy.name).",
                                            location: v == 0 ? SourceLocation(file: "index.ts", line: 10 + p, column: 5) : nil,
                                            fingerprint: "\(s)-\(p)-\(v)",
                                            exemption: exempted ? ExemptionRecord(policy: "\(policy.pack)/\(policy.name)", reason: "accepted risk") : nil))
                    if exempted { counts[p].exempted += 1 } else { counts[p].add(.violation) }
                    if policy.level == .mandatory { failed = true }
                }
                counts[p].pass += 3
            }
            for (i, item) in notEvaluable(stack: short).enumerated() {
                findings.append(Finding(stack: name, resource: nil, pack: item.pack, policy: item.policy, enforcementLevel: .advisory,
                                        severity: item.severity, outcome: .indeterminate, message: item.reason, fingerprint: "\(s)-n\(i)"))
            }
            stacks.append(StackSummary(name: name, source: "backend/.pulumi/stacks/app\(s % 37)/\(short).json", kind: "checkpoint",
                                       resourceCount: resources, resources: refs.sorted()))
        }
        findings.sort { ($0.stack, $0.pack, $0.policy, $0.resource?.urn ?? "") < ($1.stack, $1.pack, $1.policy, $1.resource?.urn ?? "") }
        let packs = Dictionary(grouping: policies.indices, by: { policies[$0].pack }).sorted { $0.key < $1.key }.map { pack, indices in
            PackSummary(name: pack, version: "1.0.0", description: pack, policies: indices.map {
                PolicySummary(name: policies[$0].name, description: "d", enforcementLevel: policies[$0].level,
                              severity: policies[$0].severity, counts: counts[$0])
            })
        }
        return ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: ["backend"], stacks: stacks.sorted { $0.name < $1.name },
                          packs: packs, findings: findings, evaluations: [], exemptions: [],
                          verdict: Verdict(failed: failed, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
    }
}
