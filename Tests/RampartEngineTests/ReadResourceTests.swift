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
}
