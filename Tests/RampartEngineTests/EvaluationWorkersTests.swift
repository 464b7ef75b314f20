import Foundation
import RampartInputs
import RampartModel
import RampartPolicy
@testable import RampartEngine
import Testing

/// What a stack's evaluation does on several workers besides evaluating: the policies each task evaluates through
/// are copies of its own, made once per task running at a time, and the stack's secrets are collected on one of the
/// workers for the findings to be redacted with.
@Suite struct EvaluationWorkersTests {
    /// Counts the copies made of it (`copyForWorker()`), and leaks the secret each resource holds in its message.
    struct LeakingPolicy: ResourcePolicy {
        final class Copies: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func add() { lock.withLock { count += 1 } }
            var value: Int { lock.withLock { count } }
        }

        let copies: Copies
        var descriptor: PolicyDescriptor { PolicyDescriptor(name: "leaks", description: "Quotes a secret.") }
        var types: TypeSelector { TypeSelector(["test:index:Thing"]) }
        func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
            .violation("the password is hunter2-\(resource.resource.urn.name)")
        }
        func copyForWorker() -> any ResourcePolicy {
            copies.add()
            return self
        }
    }

    /// `count` resources, each holding its own secret: the plaintext `hunter2-t<k>`.
    static func stack(_ count: Int) throws -> Stack {
        let sig = "\"4dabf18193072939515e22adb298388d\""
        let resources = (0..<count).map { k in
            #"{"urn": "urn:pulumi:prod::p::test:index:Thing::t\#(k)", "type": "test:index:Thing", "custom": true, "#
                + #""outputs": {"password": {\#(sig): "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"hunter2-t\#(k)\""}}}"#
        }
        let json = #"{"version": 3, "deployment": {"resources": ["# + resources.joined(separator: ",") + "]}}"
        return try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
    }

    static func engine(_ policy: LeakingPolicy, jobs: Int) -> Engine {
        let pack = PolicyPack(name: "leaks", version: "1.0.0", description: "", enforcementLevel: .mandatory,
                              policies: [policy], origin: "test")
        return Engine(packs: [pack], options: EngineOptions(jobs: jobs, today: "2026-01-01"))
    }

    @Test func findingsOfALargeStackAreRedactedWithTheSecretsCollectedWhileItWasEvaluated() throws {
        // 3,000 resources on two workers: the evaluation runs in several tasks, and collects the secrets in one more.
        let policy = LeakingPolicy(copies: .init())
        let onTwo = Self.engine(policy, jobs: 2).evaluate(try Self.stack(3_000))
        let onOne = Self.engine(LeakingPolicy(copies: .init()), jobs: 1).evaluate(try Self.stack(3_000))
        #expect(onTwo.findings.count == 3_000)
        #expect(onTwo.findings.allSatisfy { $0.message == "the password is [secret]" })
        #expect(onTwo.findings.map(\.message) == onOne.findings.map(\.message))
        #expect(onTwo.findings.map(\.resource?.urn) == onOne.findings.map(\.resource?.urn))
    }

    @Test func aStackAskedForItsSecretsTwiceCollectsThemOnceAndAgreesWithAFreshCollection() throws {
        let stack = try Self.stack(600)
        let first = SecretRedactor.of(stack, workers: 2)
        // Each plaintext as stored (a JSON string, quotes and all) and as the string it encodes.
        #expect(first.secrets.count == 1_200)
        #expect(first.secrets.contains("hunter2-t599"))
        #expect(SecretRedactor.of(stack, workers: 1).secrets == first.secrets)
        #expect(SecretRedactor(stack: stack, workers: 1).secrets == first.secrets)
    }

    @Test func aRunCopiesItsPoliciesOnceForEachTaskRunningAtATimeNotOnceForEachTask() throws {
        // 5,000 resources on two workers: 19 tasks, which never run more than one a core at a time.
        let policy = LeakingPolicy(copies: .init())
        let result = Self.engine(policy, jobs: 2).evaluate(try Self.stack(5_000))
        #expect(result.findings.count == 5_000)
        #expect(policy.copies.value >= 1)
        #expect(policy.copies.value <= ProcessInfo.processInfo.processorCount)
    }

    @Test func sparesHandOutWhatWasGivenBackAndNeverAValueInUse() {
        final class Copy: Sendable {}
        let spares = Spares<Copy>()
        var made = 0
        let first = spares.take { made += 1; return Copy() }
        let second = spares.take { made += 1; return Copy() }
        #expect(made == 2)
        #expect(first !== second)
        spares.giveBack(first)
        let third = spares.take { made += 1; return Copy() }
        #expect(made == 2)
        #expect(third === first)
    }

    /// Reports each fifth resource and then the stack as a whole: a stack policy's outcomes on resources and on the
    /// stack, beside a resource policy's.
    static func everyFifth(_ name: String) -> SwiftStackPolicy {
        SwiftStackPolicy(PolicyDescriptor(name: name, description: "each fifth is reported")) { stack, _ in
            let indexes = stack.stack.graph.resources.indices.filter { $0 % 5 == 0 }
            return StackEvaluation(indexes.map { StackEvaluation.Entry(resourceIndex: $0, outcome: .violation(Violation("fifth \($0)"))) }
                                   + [StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation("\(indexes.count) fifths")))])
        }
    }

    @Test func stackPoliciesStartedBeforeTheChunksGiveTheResultsOfOneWorker() throws {
        let stack = try Self.stack(3_000)
        func evaluate(jobs: Int) -> StackResult {
            let pack = PolicyPack(name: "mixed", version: "1.0.0", description: "", enforcementLevel: .mandatory,
                                  policies: [LeakingPolicy(copies: .init()), Self.everyFifth("every-fifth"), Self.everyFifth("again")],
                                  origin: "test")
            return Engine(packs: [pack], options: EngineOptions(jobs: jobs, today: "2026-01-01")).evaluate(stack)
        }
        let one = evaluate(jobs: 1)
        #expect(one.findings.count == 3_000 + 2 * 601)
        for jobs in [2, 4] {
            let many = evaluate(jobs: jobs)
            #expect(many.findings == one.findings)
            #expect(many.evaluations == one.evaluations)
        }
    }
}
