import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

@Suite struct TagExemptionTests {
    func report(tags: String) throws -> ScanReport {
        let text = #"""
        {"version":3,"deployment":{"resources":[
          {"urn":"urn:pulumi:prod::web::test:index:Thing::a","custom":true,"type":"test:index:Thing",
           "outputs":{"bad":true,"tags":{\#(tags)}}}]}}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "state.json"))
        let pack = PolicyPack(name: "test", version: "1", description: "t", enforcementLevel: .mandatory,
                              policies: [NoBadThings()], origin: "test")
        let engine = Engine(packs: [pack], options: EngineOptions(jobs: 1, today: "2026-11-26"))
        return engine.report([engine.evaluate(stack)], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
    }

    @Test func tagWithReasonExemptsTheNamedPolicy() throws {
        let r = try report(tags: #""rampart:exempt":"no-bad-things","rampart:exempt-reason":"legacy, tracked in OPS-12""#)
        #expect(!r.verdict.failed)
        #expect(r.findings.first?.exemption?.reason == "legacy, tracked in OPS-12")
        #expect(r.findings.first?.exemption?.source == "tag rampart:exempt on a")
        #expect(r.packs[0].policies[0].counts.exempted == 1)
    }

    @Test func tagAcceptsPackQualifiedNamesAndLists() throws {
        let r = try report(tags: #""rampart:exempt":"other, test/no-bad-things","rampart:exempt-reason":"ok""#)
        #expect(!r.verdict.failed)
    }

    @Test func tagWithoutReasonExemptsNothingAndSaysSo() throws {
        let r = try report(tags: #""rampart:exempt":"no-bad-things""#)
        #expect(r.verdict.failed)
        #expect(r.findings.first?.exemption == nil)
        #expect(r.notices.contains { $0.message.contains("needs a rampart:exempt-reason") })
    }

    @Test func tagForAnotherPolicyExemptsNothing() throws {
        let r = try report(tags: #""rampart:exempt":"something-else","rampart:exempt-reason":"x""#)
        #expect(r.verdict.failed)
    }

    /// Where a resource declares its exemption: `tags`, then `labels`, then Kubernetes' `metadata` annotations and
    /// labels, in outputs before inputs; the last of duplicate keys counts.
    @Test func theExemptionIsReadFromEachPlaceInOrder() throws {
        func tag(_ policy: String) -> String { #"{"rampart:exempt": "\#(policy)", "rampart:exempt-reason": "r"}"# }
        let resources: [(String, String?)] = [
            (#""outputs": {"tags": \#(tag("a")), "labels": \#(tag("b"))}"#, "a"),
            (#""outputs": {"labels": \#(tag("b")), "tags": {"Name": "x"}}"#, "b"),
            (#""outputs": {"metadata": {"labels": \#(tag("l")), "annotations": \#(tag("n"))}}"#, "n"),
            (#""outputs": {"metadata": {"labels": \#(tag("l"))}}"#, "l"),
            (#""outputs": {"tags": {}}, "inputs": {"tags": \#(tag("i"))}"#, "i"),
            (#""outputs": {"tags": \#(tag("first")), "tags": \#(tag("last"))}"#, "last"),
            (#""outputs": {"metadata": "x", "tags": null}"#, nil),
            // Keys written with escapes are compared decoded; keys of the same lengths are not the places.
            (#""outputs": {"t\u0061gs": \#(tag("escaped"))}"#, "escaped"),
            (#""outputs": {"name": "x", "labelz": \#(tag("no")), "meta": 1, "metadatA": \#(tag("no")), "metadata": {"labels": \#(tag("m"))}}"#, "m"),
            // A secret is no map of tags: the next place is read.
            (#""outputs": {"tags": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:x"}, "labels": \#(tag("b2"))}"#, "b2"),
        ]
        let listed = resources.enumerated().map { i, r in
            #"{"urn":"urn:pulumi:prod::web::test:index:Thing::r\#(i)","custom":true,"type":"test:index:Thing",\#(r.0)}"#
        }
        let text = #"{"version":3,"deployment":{"resources":[\#(listed.joined(separator: ","))]}}"#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "state.json"))
        for (i, expected) in resources.map(\.1).enumerated() {
            #expect(TagExemption.declared(by: stack.graph.resources[i])?.policies == expected.map { [$0] }, "resource \(i)")
        }
    }
}

