import RampartModel
import Testing

/// `Stack.sharingValues()`: a second handle on a stack for one evaluating worker holds the same values.
@Suite struct StackHandleTests {
    @Test func aSecondHandleHoldsTheSameValues() {
        let graph = ResourceGraph(resources: [])
        let stack = Stack(identity: StackIdentity(organization: "acme", project: "web", stack: "prod"), source: "state.json",
                          kind: .checkpoint, propertySource: .inputs, graph: graph, version: 4, features: ["f"],
                          notices: [InputNotice(path: "$.a", message: "m")], byteCount: 12)
        let handle = stack.sharingValues()
        #expect(handle.identity == stack.identity)
        #expect(handle.source == "state.json")
        #expect(handle.kind == .checkpoint)
        #expect(handle.propertySource == .inputs)
        #expect(handle.graph === graph)
        #expect(handle.version == 4 && handle.features == ["f"] && handle.notices == stack.notices && handle.byteCount == 12)
    }

    @Test func changingAHandleLeavesTheStackAlone() {
        let stack = Stack(identity: StackIdentity(organization: nil, project: nil, stack: "dev"), source: "a.json",
                          kind: .stateExport, propertySource: .outputs, graph: ResourceGraph(resources: []))
        var handle = stack.sharingValues()
        handle.source = "b.json"
        #expect(stack.source == "a.json")
        #expect(handle.source == "b.json")
    }
}
