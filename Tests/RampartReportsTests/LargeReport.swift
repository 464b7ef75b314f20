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
