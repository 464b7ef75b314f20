import Foundation
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// A policy that runs over its time budget is reported as an `error` for that (policy, resource) and the scan goes on.
@Suite struct EvaluationBudgetTests {
    struct SlowPolicy: ResourcePolicy {
        var descriptor: PolicyDescriptor { PolicyDescriptor(name: "slow", description: "Sleeps past the budget on one resource.") }
        var types: TypeSelector { TypeSelector(["t:m:R"]) }
        func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
            if resource.resource.urn.name == "slow" { Thread.sleep(forTimeInterval: 2.2) }
            return .pass
        }
    }

    @Test func evaluationOverTheBudgetBecomesAnErrorAndOthersStillRun() throws {
        let state = #"""
            {"version": 3, "deployment": {"resources": [
              {"urn": "urn:pulumi:dev::p::t:m:R::slow", "custom": true, "type": "t:m:R", "outputs": {}},
              {"urn": "urn:pulumi:dev::p::t:m:R::fast", "custom": true, "type": "t:m:R", "outputs": {}}]}}
            """#
        let stack = try InputReader().read(bytes: Array(state.utf8), source: InputSource(path: "s.json"))
        let pack = PolicyPack(name: "slow-pack", version: "1.0.0", description: "", enforcementLevel: .mandatory,
                              policies: [SlowPolicy()], origin: "test")
        let result = Engine(packs: [pack], options: EngineOptions(jobs: 1, today: "2026-01-01")).evaluate(stack)
        let errors = result.findings.filter { $0.outcome == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.resource?.urn.hasSuffix("::slow") == true)
        #expect(errors.first?.message.contains("over its time budget") == true)
        #expect(result.evaluations.count == 2)
    }
}
