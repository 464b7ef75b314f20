import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// Workers read a stack through their own document handle; what a policy sees must not change.
@Suite struct DocumentHandleTests {
    @Test func contextsWithAHandleSeeTheSamePropertiesThroughIt() throws {
        let json = #"{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:prod::p::test:index:Thing::a", "type": "test:index:Thing", "custom": true, "outputs": {"ok": true, "n": 2}}, {"urn": "urn:pulumi:prod::p::test:index:Thing::b", "type": "test:index:Thing", "custom": true, "outputs": {"ok": false}}]}}"#
        let stack = try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
        let handle = try #require(DocumentHandle(stack: stack))
        for index in 0..<2 {
            let plain = ResourceContext(stack: stack, index: index)
            let handled = ResourceContext(stack: stack, index: index, evidence: .none, handle: handle)
            #expect(handled.properties?.node.document === handle.document)
            #expect(plain.properties?.node.document !== handle.document)
            #expect(handled.props["ok"].bool == plain.props["ok"].bool)
            #expect(handled.props["n"].number == plain.props["n"].number)
        }
        // A stack read from several documents: values of another document are read as they are.
        let examples = try TestPack.stack(["x", "y"])
        let exampleHandle = try #require(DocumentHandle(stack: examples))
        let second = ResourceContext(stack: examples, index: 1, evidence: .none, handle: exampleHandle)
        #expect(second.props["ok"].bool == false)
    }

    @Test func theDefaultPropertiesThroughAHandleAreTheOnesWithoutIt() throws {
        // Outputs only, inputs only, both, neither: each property source falls back to the other set as a resource's
        // own `properties(_:)` does.
        let json = #"""
        {"version": 3, "deployment": {"resources": [
          {"urn": "urn:pulumi:prod::p::test:index:Thing::a", "type": "test:index:Thing", "custom": true, "outputs": {"o": 1}},
          {"urn": "urn:pulumi:prod::p::test:index:Thing::b", "type": "test:index:Thing", "custom": true, "inputs": {"i": 2}},
          {"urn": "urn:pulumi:prod::p::test:index:Thing::c", "type": "test:index:Thing", "custom": true, "inputs": {"i": 3}, "outputs": {"o": 4}},
          {"urn": "urn:pulumi:prod::p::test:index:Thing::d", "type": "test:index:Thing", "custom": true}]}}
        """#
        let read = try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
        for source in [PropertySource.outputs, .inputs] {
            var stack = read
            stack.propertySource = source
            let handle = try #require(DocumentHandle(stack: stack))
            for index in 0..<4 {
                let plain = ResourceContext(stack: stack, index: index)
                let handled = ResourceContext(stack: stack, index: index, evidence: .none, handle: handle)
                #expect(handled.properties?.node.byteOffset == plain.properties?.node.byteOffset, "\(source) \(index)")
                #expect(handled.properties?.node.byteOffset == stack.graph.resources[index].properties(source)?.node.byteOffset)
                #expect(handled.resource.urn == stack.graph.resources[index].urn)
                // The lent properties are the handled ones; a context without a handle lends none.
                #expect(handled.lentProperties?.value.node.byteOffset == handled.properties?.node.byteOffset)
                #expect(handled.lentProperties?.value.node.document === handled.properties?.node.document)
                #expect(handled.lentProperties?.dialect == handled.properties?.dialect)
                #expect(plain.lentProperties == nil)
            }
        }
    }

    @Test func aStackWithoutPropertiesHasNoHandle() throws {
        let json = #"{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod", "type": "pulumi:pulumi:Stack", "custom": false}]}}"#
        let stack = try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
        #expect(DocumentHandle(stack: stack) == nil)
    }
}
