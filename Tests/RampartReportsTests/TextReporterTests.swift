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

    static let verbose = ReportOptions(verbose: true)

    @Test func verboseTableListsOnlyPoliciesThatMetAResourceAndCountsTheRest() {
        var used = OutcomeCounts()
        used.pass = 3
        let text = TextReporter(options: Self.verbose).render(report(counts: [used, OutcomeCounts(), OutcomeCounts()])).text
        #expect(text.contains("  p 1 (2 of 3 policies applied to nothing)\n"))
        #expect(text.contains("policy-0 (advisory, low): 3 passed, 0 violated"))
        #expect(!text.contains("policy-1"))
        #expect(!text.contains("policy-2"))
    }

    @Test func verboseTableSaysNothingAboutIdlePoliciesWhenEveryPolicyApplied() {
        var used = OutcomeCounts()
        used.violation = 1
        let text = TextReporter(options: Self.verbose).render(report(counts: [used])).text
        #expect(text.contains("  p 1\n"))
    }

    @Test func policyTableOnlyWhenVerbose() {
        var used = OutcomeCounts()
        used.pass = 1
        #expect(!TextReporter().render(report(counts: [used])).text.contains("Policies"))
        #expect(TextReporter(options: Self.verbose).render(report(counts: [used])).text.contains("Policies\n"))
    }

    @Test func oneStackMatchesSnapshot() throws {
        try Snapshot.assertMatches(TextReporter().render(FleetReport.make(stacks: 1)), named: "text-1-stack.txt")
    }

    @Test func tenStacksMatchSnapshot() throws {
        try Snapshot.assertMatches(TextReporter().render(FleetReport.make(stacks: 10)), named: "text-10-stacks.txt")
    }

    @Test func thousandStacksMatchSnapshotAndStayShort() throws {
        let bytes = TextReporter().render(FleetReport.make(stacks: 1_000))
        try Snapshot.assertMatches(bytes, named: "text-1000-stacks.txt")
        #expect(bytes.text.split(separator: "\n", omittingEmptySubsequences: false).count < 120)
    }

    @Test func sampleReportMatchesSnapshot() throws {
        try Snapshot.assertMatches(TextReporter().render(SampleReport.make()), named: "text-default.txt")
        try Snapshot.assertMatches(TextReporter(options: Self.verbose).render(SampleReport.make()), named: "text-verbose.txt")
    }

    @Test func summaryComesFirstWithTheVerdict() {
        let lines = TextReporter().render(FleetReport.make(stacks: 10)).text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("rampart 0.9.0-test · FAILED (fail-on mandatory): "))
        #expect(lines[2].hasPrefix("Stacks"))
        #expect(lines.last?.hasPrefix("FAILED (fail-on mandatory)") == true)
    }

    @Test func manyStacksShowTheWorstAndCountTheRest() {
        let text = TextReporter().render(FleetReport.make(stacks: 1_000)).text
        #expect(text.contains("Stacks (the 10 worst of 1000)\n"))
        #expect(text.contains("  … 990 more stacks ("))
        // The worst stacks are those with mandatory violations.
        let stackLines = text.split(separator: "\n").drop { !$0.hasPrefix("Stacks") }.dropFirst().prefix(10)
        #expect(stackLines.allSatisfy { !$0.contains(" 0 mandatory") })
    }

    @Test func sectionsAreCappedWithAPointerToTheFullReports() {
        let text = TextReporter(findingLimit: 5).render(FleetReport.make(stacks: 10)).text
        #expect(text.contains("Mandatory violations ("))
        #expect(text.contains("Advisory violations ("))
        #expect(text.contains("  … and "))
        #expect(text.contains(" more (use --report json=FILE or sarif=FILE for all)\n"))
        let mandatory = text.range(of: "Mandatory violations")!.lowerBound
        let advisory = text.range(of: "Advisory violations")!.lowerBound
        #expect(mandatory < advisory)
    }

    @Test func checksThatCannotBeEvaluatedAreOneLine() {
        let text = TextReporter().render(FleetReport.make(stacks: 10)).text
        let lines = text.split(separator: "\n").filter { $0.contains("Not evaluated") }
        #expect(lines == ["Not evaluated over 10 stacks: 60 checks need an organisation snapshot (--org) and 50 need project files (Pulumi.yaml, stack config, CI workflows): see `rampart audit`"])
        #expect(!text.contains("no organisation snapshot given"))
    }

    @Test func unknownReasonsAreGroupedByReason() {
        var report = FleetReport.make(stacks: 2)
        report.findings = report.findings.filter { $0.outcome == .violation }
        for i in 0..<3 {
            report.findings.append(Finding(stack: report.stacks[i % 2].name, resource: nil, pack: "p", policy: "q\(i)", enforcementLevel: .advisory,
                                           severity: .low, outcome: .indeterminate, message: "not evaluable: the moon is not given",
                                           fingerprint: "m\(i)"))
        }
        let text = TextReporter().render(report).text
        #expect(text.contains("Not evaluated over 2 stacks: 3 checks: the moon is not given\n"))
    }

    @Test func colourOnlyWhenAsked() {
        let plain = TextReporter().render(FleetReport.make(stacks: 3)).text
        #expect(!plain.contains("\u{1B}["))
        let coloured = TextReporter(options: ReportOptions(color: true)).render(FleetReport.make(stacks: 10)).text
        #expect(coloured.contains("\u{1B}[31;1mFAILED\u{1B}[0m"))
    }

    @Test func exemptedFindingsAreCountedNotListedUnlessVerbose() {
        let report = FleetReport.make(stacks: 10)
        let exempted = report.findings.filter { $0.exemption != nil }.count
        #expect(exempted > 0)
        #expect(TextReporter().render(report).text.contains("  also: \(exempted) exempted\n"))
        #expect(!TextReporter().render(report).text.contains("exempted: accepted risk"))
        #expect(TextReporter(options: Self.verbose).render(report).text.contains("exempted: accepted risk"))
    }
}
