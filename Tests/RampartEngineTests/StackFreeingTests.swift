import Foundation
import RampartInputs
@testable import RampartJSON
import RampartModel
import RampartPolicy
@testable import RampartEngine
import Testing

/// When an evaluated stack is freed: at once, or never for the last stack of a process about to exit.
@Suite struct StackFreeingTests {
    struct NamePolicy: ResourcePolicy {
        var descriptor: PolicyDescriptor { PolicyDescriptor(name: "named", description: "Names each resource.") }
        var types: TypeSelector { TypeSelector(["test:index:Thing"]) }
        func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
            .violation("\(resource.resource.urn.name) is named")
        }
    }

    static func stack(_ count: Int = 20) throws -> Stack {
        let resources = (0..<count).map { k in
            #"{"urn": "urn:pulumi:prod::p::test:index:Thing::t\#(k)", "type": "test:index:Thing", "custom": true, "outputs": {}}"#
        }
        let json = #"{"version": 3, "deployment": {"resources": ["# + resources.joined(separator: ",") + "]}}"
        return try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
    }

    static let engine = Engine(packs: [PolicyPack(name: "names", version: "1.0.0", description: "", enforcementLevel: .advisory,
                                                  policies: [NamePolicy()], origin: "test")],
                               options: EngineOptions(jobs: 1, today: "2026-01-01"))

    /// Evaluates a fresh stack, handing it over whole; the graph it had, held weakly.
    static func evaluate(freeing: StackFreeing, resources: Int = 20) throws -> (result: StackResult, graph: ResourceGraph?) {
        var stack: Stack? = try Self.stack(resources)
        weak var graph = stack?.graph
        let result = engine.evaluate(taking: stack.take()!, freeing: freeing)
        return (result, graph)
    }

    @Test func aStackFreedHereIsGoneWhenItsFindingsAreReturned() throws {
        let (result, graph) = try Self.evaluate(freeing: .here)
        #expect(result.findings.count == 20)
        #expect(graph == nil)
    }

    @Test func aStackLeftForTheProcessExitIsNeverFreedAndGivesTheSameFindings() throws {
        let (kept, graph) = try Self.evaluate(freeing: .atExit)
        let (freed, _) = try Self.evaluate(freeing: .here)
        #expect(graph != nil)
        #expect(kept.findings.map(\.message) == freed.findings.map(\.message))
        #expect(kept.findings.map(\.message).first == "t0 is named")
    }

    @Test func aValueLeftForExitIsNeverFreed() {
        final class Tracked: Sendable {}
        weak var kept: Tracked?
        do {
            let value = Tracked()
            kept = value
            LeftForExit.keep(value)
        }
        #expect(kept != nil)
    }

    @Test func theDocumentsOfAStackKeptForExitAreGivenBackAndNoOtherIs() throws {
        // 2,000 resources: a tape of many pages.
        let (_, graph) = try Self.evaluate(freeing: .atExit, resources: 2_000)
        let kept = try #require(graph?.documents.first)
        let other = try Self.stack(2_000).graph.documents[0]
        let middle = kept.tape.count / 2
        #expect(kept.tapeByteCount > 16 * 4096)
        #if canImport(Glibc)
        // Given back on a thread of its own: wait for it, at most ten seconds.
        var waited = 0
        while kept.tape[middle] != 0 && waited < 1_000 {
            usleep(10_000)
            waited += 1
        }
        #expect(kept.tape[middle] == 0)
        #endif
        #expect(other.tape[middle] != 0)
        #expect(other.root.kind == .object)
    }
}
