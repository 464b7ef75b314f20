import Foundation
@testable import Rampart
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// A policy for tests: things with `bad: true` violate.
struct NoBadThings: ResourcePolicy {
    let descriptor = PolicyDescriptor(name: "no-bad-things", description: "Things must not be bad.", severity: .high)
    let types = TypeSelector(["test:index:Thing"])
    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        resource.props["bad"].bool == true ? .violation(Violation("\(resource.name) is bad")) : .pass
    }
}

enum BaselineFixture {
    static func state(_ things: [(name: String, bad: Bool, aliases: [String])], pretty: Bool = false) -> [UInt8] {
        var parts: [String] = [#"{"urn":"urn:pulumi:prod::web::pulumi:pulumi:Stack::web-prod","custom":false,"type":"pulumi:pulumi:Stack"}"#]
        for t in things {
            let aliases = t.aliases.map { "\"\($0)\"" }.joined(separator: ",")
            parts.append(#"{"urn":"urn:pulumi:prod::web::test:index:Thing::\#(t.name)","custom":true,"type":"test:index:Thing","outputs":{"bad":\#(t.bad)},"aliases":[\#(aliases)]}"#)
        }
        let separator = pretty ? ",\n    " : ","
        return Array(#"{"version":3,"deployment":{"resources":["#.utf8) + Array(parts.joined(separator: separator).utf8) + Array("]}}".utf8)
    }

    static func report(_ bytes: [UInt8], baseline: Baseline? = nil) throws -> ScanReport {
        let stack = try InputReader().read(bytes: bytes, source: InputSource(path: "state.json"))
        let pack = PolicyPack(name: "test", version: "1.0.0", description: "test", enforcementLevel: .mandatory,
                              policies: [NoBadThings()], origin: "test")
        let engine = Engine(packs: [pack], options: EngineOptions(jobs: 1, today: "2026-11-26"))
        var aliases: [String: [String]] = [:]
        for r in stack.graph.resources where !r.aliases.isEmpty { aliases[r.urn.rawValue] = r.aliases }
        return engine.report([engine.evaluate(stack)], inputs: ["state.json"], tool: ToolInfo(version: "test"),
                             timestamp: "2026-11-26T00:00:00Z",
                             baseline: baseline.map { BaselineComparisonInput(baseline: $0, file: "baseline.json", aliases: aliases) })
    }
}

@Suite struct BaselineTests {
    @Test func roundTripsThroughItsFile() throws {
        let report = try BaselineFixture.report(BaselineFixture.state([("a", true, []), ("b", true, [])]))
        let baseline = Baseline.record(report, today: "2026-11-26")
        #expect(baseline.entries.count == 2)
        let decoded = try Baseline.decode(baseline.encoded(), file: "b.json")
        #expect(decoded == baseline)
        #expect(String(decoding: baseline.encoded(), as: UTF8.self).contains("\"message\": \"a is bad\""))
    }

    @Test func newViolationFailsWhileBaselinedOnesDoNot() throws {
        let before = try BaselineFixture.report(BaselineFixture.state([("a", true, [])]))
        #expect(before.verdict.failed)
        let baseline = Baseline.record(before, today: "2026-11-01")
        let same = try BaselineFixture.report(BaselineFixture.state([("a", true, [])]), baseline: baseline)
        #expect(!same.verdict.failed)
        #expect(same.findings.count == 1)
        #expect(same.findings[0].baselined)
        #expect(same.baseline?.known == 1)
        let worse = try BaselineFixture.report(BaselineFixture.state([("a", true, []), ("c", true, [])]), baseline: baseline)
        #expect(worse.verdict.failed)
        #expect(worse.baseline?.new == 1)
    }

    @Test func fixedFindingsAreReportedResolved() throws {
        let baseline = Baseline.record(try BaselineFixture.report(BaselineFixture.state([("a", true, []), ("b", true, [])])), today: "2026-11-01")
        let after = try BaselineFixture.report(BaselineFixture.state([("a", true, []), ("b", false, [])]), baseline: baseline)
        #expect(after.baseline?.resolved.map(\.urn) == ["urn:pulumi:prod::web::test:index:Thing::b"])
    }

    @Test func fingerprintsSurviveReorderingAndReformatting() throws {
        let one = try BaselineFixture.report(BaselineFixture.state([("a", true, []), ("b", true, [])]))
        let two = try BaselineFixture.report(BaselineFixture.state([("b", true, []), ("a", true, [])], pretty: true))
        #expect(Set(one.findings.map(\.fingerprint)) == Set(two.findings.map(\.fingerprint)))
        #expect(one.findings.map(\.fingerprint) == two.findings.map(\.fingerprint))
    }

    @Test func renamedResourceWithAliasStaysBaselined() throws {
        let baseline = Baseline.record(try BaselineFixture.report(BaselineFixture.state([("old", true, [])])), today: "2026-11-01")
        let renamed = try BaselineFixture.report(
            BaselineFixture.state([("new", true, ["urn:pulumi:prod::web::test:index:Thing::old"])]), baseline: baseline)
        #expect(!renamed.verdict.failed)
        #expect(renamed.baseline?.resolved.isEmpty == true)
    }

    @Test func rerecordingKeepsFirstSeenDates() throws {
        let report = try BaselineFixture.report(BaselineFixture.state([("a", true, [])]))
        let first = Baseline.record(report, today: "2026-01-01")
        let second = Baseline.record(report, today: "2026-11-26", previous: first)
        #expect(second.entries.map(\.recorded) == ["2026-01-01"])
    }

    @Test func malformedBaselineNamesThePath() {
        #expect(throws: RampartError.self) { try Baseline.decode(Array(#"{"version":1,"created":"x","findings":[{"stack":1}]}"#.utf8), file: "b.json") }
        do {
            _ = try Baseline.decode(Array(#"{"version":1,"created":"x","findings":[{"stack":1}]}"#.utf8), file: "b.json")
        } catch {
            #expect(error.description == "b.json: at $.findings[0].fingerprint: expected a string")
        }
    }

    @Test func civilDatesRoundTripAndAdd() throws {
        let date = try #require(CivilDate(parsing: "2024-02-28"))
        #expect(CivilDate(day: date.day + 1).description == "2024-02-29")
        #expect(CivilDate(day: date.day + 2).description == "2024-03-01")
        #expect(CivilDate(parsing: "1970-01-01")?.day == 0)
        #expect(CivilDate(parsing: "2026-13-01") == nil)
    }
}
