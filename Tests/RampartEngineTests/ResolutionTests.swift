import RampartEngine
import RampartModel
import RampartPolicy
import Testing

@Suite struct ResolutionTests {
    let pack = TestPack.pack

    func levels(_ resolver: SettingsResolver, stack: String = "acme/web/prod") -> [String: EnforcementLevel] {
        let settings = resolver.settings(for: [pack], stack: StackIdentity(parsing: stack)!)
        return Dictionary(uniqueKeysWithValues: settings.levels.map { ($0.key.policy, $0.value) })
    }

    @Test func policyLevelElsePackDefault() {
        let l = levels(SettingsResolver())
        #expect(l["alpha"] == .advisory)      // pack default
        #expect(l["beta"] == .mandatory)      // policy's own
    }

    @Test func allOverridesEveryPolicyThenNamedPoliciesBeatAllInTheSameLayer() {
        let layer = PackSettingsLayer(all: .disabled, levels: ["gamma": .mandatory])
        let l = levels(SettingsResolver(globalLayers: ["test-pack": [layer]]))
        #expect(l["alpha"] == .disabled)
        #expect(l["beta"] == .disabled)
        #expect(l["gamma"] == .mandatory)
    }

    @Test func laterLayerBeatsEarlierOne() {
        let first = PackSettingsLayer(levels: ["alpha": .mandatory])
        let second = PackSettingsLayer(all: .advisory)
        let l = levels(SettingsResolver(globalLayers: ["test-pack": [first, second]]))
        #expect(l["alpha"] == .advisory)
        let reversed = levels(SettingsResolver(globalLayers: ["test-pack": [second, first]]))
        #expect(reversed["alpha"] == .mandatory)
    }

    @Test func mostSpecificStackGlobWinsWhateverTheFileOrder() {
        let resolver = SettingsResolver(stackLayers: [
            ("*/*/prod", "test-pack", PackSettingsLayer(all: .mandatory)),
            ("*", "test-pack", PackSettingsLayer(all: .disabled)),
            ("acme/web/prod", "test-pack", PackSettingsLayer(levels: ["alpha": .advisory])),
        ])
        let prod = levels(resolver)
        #expect(prod["alpha"] == .advisory)   // acme/web/prod applies last
        #expect(prod["beta"] == .mandatory)   // */*/prod after *
        let dev = levels(resolver, stack: "acme/web/dev")
        #expect(dev["alpha"] == .disabled)
        #expect(dev["beta"] == .disabled)
    }

    @Test func globalLayersComeBeforeStackLayers() {
        let resolver = SettingsResolver(globalLayers: ["test-pack": [PackSettingsLayer(all: .mandatory)]],
                                        stackLayers: [("*", "test-pack", PackSettingsLayer(levels: ["alpha": .advisory]))])
        #expect(levels(resolver)["alpha"] == .advisory)
        #expect(levels(resolver)["beta"] == .mandatory)
    }

    @Test func shortPatternIsAsSpecificAsItsPaddedForm() {
        #expect(StackPattern.specificity("prod") == StackPattern.specificity("*/*/prod"))
        #expect(StackPattern.specificity("acme/*/prod") > StackPattern.specificity("*/*/prod"))
        #expect(StackPattern.specificity("*") < StackPattern.specificity("*/*/prod"))
    }

    @Test func propertiesStartFromSchemaDefaultsAndMergeShallowlyLayerByLayer() {
        let resolver = SettingsResolver(globalLayers: ["test-pack": [
            PackSettingsLayer(properties: ["gamma": PolicyConfig(["limit": .number(5), "mode": .string("lax")])]),
            PackSettingsLayer(all: .mandatory, properties: ["gamma": PolicyConfig(["limit": .number(7)])]),
        ]])
        let settings = resolver.settings(for: [pack], stack: TestPack.identity)
        let config = settings.configs[PolicyKey(pack: "test-pack", policy: "gamma")]
        #expect(config == PolicyConfig(["limit": .number(7), "mode": .string("lax")]))
        #expect(settings.configs[PolicyKey(pack: "test-pack", policy: "alpha")] == PolicyConfig())
    }

    @Test func remediateIsReportedAsMandatoryUnlessThePolicyProposesAFix() throws {
        let result = TestPack.engine().evaluate(try TestPack.stack(["a"]))
        let byPolicy = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.policy, $0) })
        #expect(byPolicy["fixable"]?.enforcementLevel == .remediate)
        #expect(byPolicy["fixable"]?.proposedFix == "set ok: true")
        #expect(byPolicy["unfixable"]?.enforcementLevel == .mandatory)
        let report = TestPack.engine().report([result], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
        #expect(report.verdict.failed)   // beta (mandatory) and unfixable (remediate → mandatory)
    }

    @Test func disabledPoliciesAreNotRunNorReported() throws {
        let resolver = SettingsResolver(globalLayers: ["test-pack": [PackSettingsLayer(all: .disabled)]])
        let result = TestPack.engine(resolver: resolver).evaluate(try TestPack.stack(["a", "b"]))
        #expect(result.findings.isEmpty)
        #expect(result.evaluations.isEmpty)
        let report = TestPack.engine(resolver: resolver).report([result], inputs: [], tool: ToolInfo(version: "t"), timestamp: "t")
        #expect(report.packs[0].policies.isEmpty)
        #expect(!report.verdict.failed)
    }

    @Test func configuredPropertiesReachThePolicy() throws {
        let resolver = SettingsResolver(globalLayers: ["test-pack": [PackSettingsLayer(properties: ["gamma": PolicyConfig(["limit": .number(9)])])]])
        let result = TestPack.engine(resolver: resolver).evaluate(try TestPack.stack(["a"]))
        #expect(result.findings.first { $0.policy == "gamma" }?.message == "a is not ok (limit 9)")
    }

    @Test func preparedEngineResolvesSettingsOnceAndStillFollowsEachStacksOwnLayers() throws {
        let resolver = SettingsResolver(stackLayers: [("*/*/dev", "test-pack", PackSettingsLayer(all: .disabled))])
        let prepared = PreparedEngine(TestPack.engine(resolver: resolver), identity: StackIdentity(parsing: "acme/web/prod")!)
        #expect(prepared.settings.levels[PolicyKey(pack: "test-pack", policy: "alpha")] == .advisory)
        let prod = prepared.evaluate(try TestPack.stack(["a", "b"]))
        #expect(Set(prod.findings.map(\.policy)) == ["alpha", "beta", "gamma", "fixable", "unfixable"])
        #expect(prod.findings.map(\.fingerprint) == TestPack.engine(resolver: resolver).evaluate(try TestPack.stack(["a", "b"])).findings.map(\.fingerprint))
        // A stack of another identity is evaluated with its own layers, not the prepared ones.
        #expect(prepared.evaluate(try TestPack.stack(["a"], identity: "acme/web/dev")).findings.isEmpty)
    }
}
