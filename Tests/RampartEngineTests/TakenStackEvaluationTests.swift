import RampartModel
import RampartPolicy
import Testing
@testable import RampartEngine

/// `evaluate(taking:)` lets go of the stack before its findings are assembled (docs/performance.md, round six) and
/// reports exactly what evaluating a borrowed stack reports.
@Suite struct TakenStackEvaluationTests {
    func report(_ engine: Engine, _ result: StackResult) -> ScanReport {
        engine.report([result], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
    }

    @Test(arguments: [1, 2])
    func reportsWhatABorrowedStackReports(jobs: Int) throws {
        let names = (0..<400).map { "thing-\($0)" }
        let ok = Set(names.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        // Configured exemptions match on the URN and type the findings' references hold, not on the stack.
        let engine = TestPack.engine(exemptions: [Exemption(policy: "test-pack/beta", resources: ["*::thing-1*"], reason: "legacy"),
                                                  Exemption(policy: "alpha", types: ["test:index:*"], reason: "all")],
                                     jobs: jobs)
        let borrowed = report(engine, engine.evaluate(try TestPack.stack(names, ok: ok)))
        for freeing in [StackFreeing.here, .inBackground] {
            let taken = report(engine, engine.evaluate(taking: try TestPack.stack(names, ok: ok), freeing: freeing))
            #expect(taken.findings == borrowed.findings)
            #expect(taken.exemptions == borrowed.exemptions)
            #expect(taken.stacks == borrowed.stacks)
            #expect(taken.packs == borrowed.packs)
            #expect(taken.notices == borrowed.notices)
        }
        #expect(borrowed.findings.contains { $0.exemption != nil })
    }

    @Test func anAssemblyReadyToRunHoldsNothingOfTheStack() throws {
        let engine = TestPack.engine()
        let prepared = PreparedEngine(engine, identity: TestPack.identity)
        weak var graph: ResourceGraph?
        let raw: RawOutcomes, assembly: StackAssembly
        do {
            let stack = try TestPack.stack(["a", "b", "c"])
            graph = stack.graph
            let plan = EvaluationPlan(entries: prepared.entries, graph: stack.graph)
            raw = StackEvaluator(plan: plan, stack: stack, evidence: .none, jobs: 1).run()
            assembly = ResultAssembler(engine: engine, plan: plan, stack: stack).prepare(raw)
        }
        #expect(graph == nil)
        let result = assembly.assemble(raw)
        #expect(result.findings.count == 15 && result.summary.resourceCount == 3)
        #expect(result.summary.resources.map(\.name) == ["a", "b", "c"])
    }
}
