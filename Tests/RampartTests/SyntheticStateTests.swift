import Foundation
import Rampart
import RampartBenchKit
import RampartEngine
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
        // Every provider reference names the provider resource of the stack, by its URN and its id.
        let providers = stack.graph.resources.indices.filter { stack.graph.resources[$0].provider != nil }
        #expect(providers.count == 2_000 - 2)
        let unresolved = providers.filter { index in
            guard let provider = stack.graph.provider(of: index) else { return true }
            return stack.graph.resources[provider].type != "pulumi:providers:aws"
                || stack.graph.resources[provider].id != stack.graph.resources[index].provider?.id
        }
        #expect(unresolved.isEmpty, "\(unresolved.count) references name another provider, first \(unresolved.prefix(3))")
        let secrets = stack.graph.resources.compactMap { $0.outputs?["password"] ?? $0.outputs?["result"] }
        #expect(secrets.contains { $0.kind == .secret })
    }

    @Test func compliantEstatePassesEveryGeneratedYAMLPolicyAndAFewPercentMisconfiguredFailSome() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-bench-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pack = try PackLoader().load([try YAMLPolicies.writePack(count: 100, to: dir)])
        func findings(_ estate: SyntheticState.Estate) throws -> (findings: Int, evaluations: Int) {
            let stack = try InputReader().read(bytes: SyntheticState().export(resourceCount: 2_000, estate: estate),
                                               source: InputSource(path: "synthetic.json"))
            let result = Engine(packs: pack, options: EngineOptions(jobs: 2, today: "2026-11-26")).evaluate(stack)
            return (result.findings.count, result.evaluations.count)
        }
        let clean = try findings(.mostlyCompliant(misconfiguredPercent: 0))
        #expect(clean.evaluations > 10_000)
        #expect(clean.findings == 0)
        let mostly = try findings(.mostlyCompliant(misconfiguredPercent: 3))
        #expect(mostly.findings > 0 && mostly.findings * 20 < mostly.evaluations)
        let mixed = try findings(.mixed)
        #expect(mixed.findings * 5 > mixed.evaluations)
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
