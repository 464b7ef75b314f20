import RampartEngine
import RampartModel
import RampartPolicy
import Testing

/// Resources the stack only reads (data sources, `.get()` lookups, preview `read` steps) are not evaluated, as in
/// CrossGuard; they stay in the graph.
@Suite struct ReadResourceTests {
    @Test func externalResourcesAreNotEvaluatedButStayInTheGraph() throws {
        var stack = try TestPack.stack(["owned", "looked-up"])
        var resources = stack.graph.resources
        let read = try #require(resources.firstIndex { $0.name == "looked-up" })
        resources[read].external = true
        stack.graph = ResourceGraph(resources: resources)
        let engine = TestPack.engine()
        let report = engine.report([engine.evaluate(stack)], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
        let subjects = Set(report.findings.compactMap { $0.resource?.name })
        #expect(subjects == ["owned"])
        #expect(stack.graph.resources.contains { $0.name == "looked-up" })
    }

    @Test func readResourcePoliciesStillSeeThem() throws {
        var stack = try TestPack.stack(["owned", "looked-up"])
        var resources = stack.graph.resources
        for i in resources.indices { resources[i].external = true }
        stack.graph = ResourceGraph(resources: resources)
        let reader = ReadingPolicy(SwiftResourcePolicy(PolicyDescriptor(name: "stored", description: "d"), types: [TestPack.type]) { thing, _ in
            .violation(Violation("\(thing.name) stored"))
        })
        let engine = Engine(packs: [PolicyPack(name: "p", version: "1", description: "d", enforcementLevel: .advisory,
                                               policies: [reader, TestPack.policy("alpha")], origin: "test")],
                            resolver: SettingsResolver(), exemptions: [], options: EngineOptions(jobs: 1, today: "2026-11-26"))
        let report = engine.report([engine.evaluate(stack)], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
        #expect(report.findings.map(\.policy).sorted() == ["stored", "stored"])
    }
}

/// Wraps a resource policy as one that also evaluates read resources.
private struct ReadingPolicy: ReadResourcePolicy {
    let inner: SwiftResourcePolicy
    init(_ inner: SwiftResourcePolicy) { self.inner = inner }
    var descriptor: PolicyDescriptor { inner.descriptor }
    var types: TypeSelector { inner.types }
    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome { try inner.evaluate(resource, config: config) }
}
