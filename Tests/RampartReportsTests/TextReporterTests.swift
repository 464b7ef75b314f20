import RampartPolicy
import RampartReports
import Testing

@Suite struct TextReporterTests {
    func report(counts: [OutcomeCounts]) -> ScanReport {
        let policies = counts.enumerated().map { i, c in
            PolicySummary(name: "policy-\(i)", description: "d", enforcementLevel: .advisory, severity: .low, counts: c)
        }
        return ScanReport(tool: ToolInfo(version: "t"), inputs: [], stacks: [], packs: [PackSummary(name: "p", version: "1", description: "", policies: policies)],
                          findings: [], evaluations: [], exemptions: [], verdict: Verdict(failed: false, failOn: .mandatory), timestamp: "t")
    }

    @Test func listsOnlyPoliciesThatMetAResourceAndCountsTheRest() {
        var used = OutcomeCounts()
        used.pass = 3
        let text = String(decoding: TextReporter().render(report(counts: [used, OutcomeCounts(), OutcomeCounts()])), as: UTF8.self)
        #expect(text.contains("  p 1 (2 of 3 policies applied to nothing)\n"))
        #expect(text.contains("policy-0 (advisory, low): 3 passed, 0 violated"))
        #expect(!text.contains("policy-1"))
        #expect(!text.contains("policy-2"))
    }

    @Test func saysNothingAboutIdlePoliciesWhenEveryPolicyApplied() {
        var used = OutcomeCounts()
        used.violation = 1
        let text = String(decoding: TextReporter().render(report(counts: [used])), as: UTF8.self)
        #expect(text.contains("  p 1\n"))
    }
}
