import Foundation
import Rampart
import RampartBenchKit
import RampartInputs
import RampartModel
import Testing

/// The benchmark's generated inputs must be what they claim, or its figures mean nothing.
@Suite struct SyntheticStateTests {
    @Test func exportReadsWithTheRequestedResourceCountAndTypeMix() throws {
        let bytes = SyntheticState().export(resourceCount: 2_000)
        let stack = try InputReader().read(bytes: bytes, source: InputSource(path: "synthetic.json"))
        #expect(stack.graph.count == 2_000)
        #expect(stack.identity.description == "bench/prod")
        let generated = Set(SyntheticState.types.map(\.type))
        #expect(generated.isSubset(of: Set(stack.graph.types)))
        #expect(stack.graph.stackResource != nil)
        #expect(stack.graph.resources.contains { !$0.dependencies.isEmpty && !$0.propertyDependencies.isEmpty })
        #expect(stack.graph.resources.contains { $0.provider != nil })
        let secrets = stack.graph.resources.compactMap { $0.outputs?["password"] ?? $0.outputs?["result"] }
        #expect(secrets.contains { $0.kind == .secret })
    }

    @Test func exportIsDeterministic() {
        #expect(SyntheticState().export(resourceCount: 300) == SyntheticState().export(resourceCount: 300))
        #expect(SyntheticState().export(resourceCount: 300, seed: 1) != SyntheticState().export(resourceCount: 300, seed: 2))
    }

    @Test func generatedYAMLPackLoadsWithEveryPolicy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-bench-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pack = try PackLoader().load([try YAMLPolicies.writePack(count: 100, to: dir)])
        #expect(pack.count == 1)
        #expect(pack[0].policies.count == 100)
        let ebs = try PackLoader().load([try YAMLPolicies.writeEBSPack(to: dir)])
        #expect(ebs[0].policies.map(\.descriptor.name) == ["ebs-encrypted-yaml"])
    }
}
