import RampartPolicy
@testable import RampartReports
import Testing

/// The text report's sections: findings grouped by stack and resource, the groups ordered by their worst finding,
/// then stack, then URN, and each group's findings by severity, pack, policy and fingerprint — whatever order the
/// findings come in and however their stacks and URNs repeat.
@Suite struct FindingSectionsTests {
    /// The grouping worked out plainly: every group found by a linear search, every order by a full comparison.
    static func plainGroups(_ indexes: [Int], of findings: [Finding]) -> [(stack: String, urn: String?, findings: [Int])] {
        var groups: [(stack: String, urn: String?, findings: [Int])] = []
        for index in indexes {
            let f = findings[index]
            if let g = groups.firstIndex(where: { $0.stack == f.stack && $0.urn == f.resource?.urn }) {
                groups[g].findings.append(index)
            } else {
                groups.append((f.stack, f.resource?.urn, [index]))
            }
        }
        for g in groups.indices {
            groups[g].findings.sort {
                let x = findings[$0], y = findings[$1]
                return (Severity.allCases.firstIndex(of: y.severity)!, x.pack, x.policy, x.fingerprint)
                    < (Severity.allCases.firstIndex(of: x.severity)!, y.pack, y.policy, y.fingerprint)
            }
        }
        func worst(_ g: (stack: String, urn: String?, findings: [Int])) -> Int { Severity.allCases.firstIndex(of: findings[g.findings[0]].severity)! }
        return groups.sorted { a, b in
            if worst(a) != worst(b) { return worst(a) > worst(b) }
            return (a.stack, a.urn ?? "") < (b.stack, b.urn ?? "")
        }
    }

    @Test(arguments: 0..<30)
    func groupsMatchAPlainGroupingOfRandomFindings(_ seed: Int) {
        var generator = SystemRandomNumberGenerator()
        // Two stacks whose resources share URNs (the same project and stack name under two organisations), and
        // stack-level findings with no resource.
        let stacks = ["acme/web/prod", "other/web/prod"]
        let resources: [ResourceRef?] = [nil] + (0..<6).map { ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::b\($0)", type: "aws:s3/bucket:Bucket", name: "b\($0)") }
        var findings: [Finding] = []
        for i in 0..<Int.random(in: 1...120, using: &generator) {
            findings.append(Finding(stack: stacks.randomElement(using: &generator)!, resource: resources.randomElement(using: &generator)!,
                                    pack: ["aws", "k8s"].randomElement(using: &generator)!, policy: "p\(Int.random(in: 0..<5, using: &generator))",
                                    enforcementLevel: .advisory, severity: Severity.allCases.randomElement(using: &generator)!,
                                    outcome: .violation, message: "m", fingerprint: String(format: "%016x%016x", seed, i)))
        }
        let indexes = Array(findings.indices).shuffled(using: &generator)
        let groups = FindingSections.group(indexes, of: findings)
        let plain = Self.plainGroups(indexes, of: findings)
        #expect(groups.map(\.stack) == plain.map(\.stack))
        #expect(groups.map { $0.resource?.urn } == plain.map(\.urn))
        #expect(groups.map(\.findings) == plain.map(\.findings))
    }
}
