import Foundation
import RampartModel
import RampartPolicy

/// A synthetic report of one stack with `resources` buckets and five policies each: one violation in a hundred
/// evaluations, the rest passing — the shape of a large, mostly compliant estate.
enum LargeReport {
    static func make(resources count: Int) -> ScanReport {
        let refs = (0..<count).map {
            ResourceRef(urn: "urn:pulumi:prod::estate::aws:s3/bucket:Bucket::bucket-\($0)", type: "aws:s3/bucket:Bucket", name: "bucket-\($0)")
        }
        let stack = StackSummary(name: "acme/estate/prod", source: "estate.json", kind: "state-export", resourceCount: count, resources: refs)
        let policyNames = ["encrypted", "versioned", "no-public-acl", "logging", "tagged"]
        var findings: [Finding] = []
        var evaluations: [Evaluation] = []
        var counts = Array(repeating: OutcomeCounts(), count: policyNames.count)
        for (p, policy) in policyNames.enumerated() {
            for (r, ref) in refs.enumerated() {
                if (r + p) % 100 == 0 {
                    evaluations.append(Evaluation(stack: 0, pack: 0, policy: Int32(p), resource: Int32(r), outcome: .violation,
                                                  level: .mandatory, finding: Int32(findings.count)))
                    findings.append(Finding(stack: stack.name, resource: ref, pack: "s3", policy: policy, enforcementLevel: .mandatory,
                                            severity: .high, outcome: .violation, message: "bucket \(ref.name) fails \(policy)",
                                            fingerprint: String(repeating: "0", count: 24) + String(r, radix: 16).leftPadded(8)))
                    counts[p].add(.violation)
                } else {
                    evaluations.append(Evaluation(stack: 0, pack: 0, policy: Int32(p), resource: Int32(r), outcome: .pass, level: .mandatory))
                    counts[p].add(.pass)
                }
            }
        }
        let policies = policyNames.enumerated().map {
            PolicySummary(name: $0.element, description: "Buckets are \($0.element).", enforcementLevel: .mandatory, severity: .high,
                          counts: counts[$0.offset])
        }
        return ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: ["estate.json"], stacks: [stack],
                          packs: [PackSummary(name: "s3", version: "1.0.0", description: "S3", policies: policies)],
                          findings: findings, evaluations: evaluations, exemptions: [],
                          verdict: Verdict(failed: !findings.isEmpty, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A synthetic report with `count` findings spread like an organisation's: several stacks, packs, policies,
/// severities, levels, outcomes, resource types, a few exempted and baselined, some with file positions. The
/// HTML report's scale tests and the figures in docs/performance.md use it.
enum ManyFindingsReport {
    static func make(findings count: Int) -> ScanReport {
        let stackNames = (0..<12).map { "acme/\(["web", "data", "edge", "payments"][$0 % 4])/\(["prod", "staging", "dev"][$0 % 3])-\($0)" }
        let types = ["aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "aws:ec2/securityGroup:SecurityGroup",
                     "aws:iam/role:Role", "azure-native:storage:StorageAccount", "gcp:storage/bucket:Bucket",
                     "kubernetes:apps/v1:Deployment", "aws:lambda/function:Function"]
        let packNames = ["aws", "azure", "gcp", "kubernetes", "hardening"]
        let packs = packNames.enumerated().map { p, pack in
            PackSummary(name: pack, version: "1.0.0", description: "\(pack) baseline", policies: (0..<8).map { i in
                PolicySummary(name: "\(pack)-check-\(i)", description: "Resources pass \(pack) check \(i).",
                              enforcementLevel: i % 3 == 0 ? .advisory : .mandatory, severity: Severity.allCases[(p + i) % 4],
                              remediation: "Fix \(pack) check \(i).", frameworks: [FrameworkReference(name: "CIS", version: "3.0", control: "\(p).\(i)")],
                              rationale: "Because \(pack) check \(i) matters.", equivalents: [PolicyEquivalent(.pulumiCompliancePolicies, "\(pack)-\(i)")])
            })
        }
        let perResource = 4
        var stacks = stackNames.map { StackSummary(name: $0, source: "\($0.replacingOccurrences(of: "/", with: "-")).json", kind: "state-export",
                                                   resourceCount: 0, resources: []) }
        var findings: [Finding] = []
        findings.reserveCapacity(count)
        for i in 0..<count {
            let r = i / perResource
            let s = r % stacks.count
            let type = types[r % types.count]
            let name = "res-\(r)"
            let ref = ResourceRef(urn: "urn:pulumi:\(stackNames[s])::proj::\(type)::\(name)", type: type, name: name)
            if i % perResource == 0 { stacks[s].resources.append(ref); stacks[s].resourceCount += 3 }
            let p = (r + i) % packs.count
            let policy = packs[p].policies[i % 8]
            let outcome: OutcomeKind = i % 17 == 0 ? .indeterminate : i % 101 == 0 ? .error : .violation
            findings.append(Finding(stack: stackNames[s], resource: ref, pack: packs[p].name, policy: policy.name,
                                    enforcementLevel: policy.enforcementLevel, severity: policy.severity, outcome: outcome,
                                    message: "\(type.split(separator: ":").last ?? "") \(name) fails \(policy.name): setting \(i % 7) is off",
                                    remediation: policy.remediation,
                                    location: i % 5 == 0 ? SourceLocation(file: "infra/\(name).ts", line: i % 300 + 1, column: 5) : nil,
                                    fingerprint: String(i, radix: 16).leftPadded(32),
                                    exemption: i % 53 == 0 ? ExemptionRecord(policy: "\(packs[p].name)/\(policy.name)", reason: "accepted risk") : nil,
                                    baselined: i % 29 == 0))
        }
        findings.sort { ($0.stack, $0.pack, $0.policy, $0.resource?.urn ?? "") < ($1.stack, $1.pack, $1.policy, $1.resource?.urn ?? "") }
        return ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: stacks.map(\.source), stacks: stacks, packs: packs,
                          findings: findings, evaluations: [], exemptions: [],
                          verdict: Verdict(failed: true, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z")
    }
}
