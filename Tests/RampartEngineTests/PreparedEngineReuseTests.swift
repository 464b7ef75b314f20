import Dispatch
import RampartModel
import RampartPolicy
import Testing
@testable import RampartEngine

/// A `PreparedEngine` kept across many evaluations (the Pulumi analyzer evaluates one resource per call with one)
/// remembers what it worked out per type token; every result must still be exactly what `Engine.evaluate` gives
/// for that stack alone.
@Suite struct PreparedEngineReuseTests {
    static let bucket = "aws:s3/bucket:Bucket"
    static let role = "aws:iam/role:Role"
    static let queue = "aws:sqs/queue:Queue"

    static func resourcePolicy(_ name: String, types: [String], level: EnforcementLevel? = nil,
                               readsExternal: Bool = false) -> any Policy {
        let policy = SwiftResourcePolicy(PolicyDescriptor(name: name, description: "\(name) holds", enforcementLevel: level),
                                         types: types) { thing, _ in
            if try thing.truthy("skip") { return .notApplicable("\(thing.name) is skipped") }
            if try thing.truthy("ok") { return .pass }
            return .violation(Violation("\(thing.name) is not ok"))
        }
        return readsExternal ? ExternalReading(policy) : policy
    }

    /// Counts the stack's resources that are not ok: a violation at the stack level, or a pass.
    static let countingStackPolicy = SwiftStackPolicy(PolicyDescriptor(name: "counted", description: "few are not ok")) { stack, _ in
        let bad = stack.stack.graph.resources.indices.filter {
            stack.stack.graph.resources[$0].inputs?.node["ok"]?.bool != true
        }
        guard let first = bad.first else { return .pass }
        return StackEvaluation([StackEvaluation.Entry(resourceIndex: first, outcome: .violation(Violation("first not ok"))),
                                StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation("\(bad.count) not ok")))])
    }

    static var packs: [PolicyPack] {
        [PolicyPack(name: "storage", version: "1.0.0", description: "", enforcementLevel: .advisory,
                    policies: [resourcePolicy("bucket-ok", types: [bucket]), resourcePolicy("any-aws", types: ["aws:*"], level: .mandatory),
                               resourcePolicy("quiet", types: [queue], level: .disabled),
                               resourcePolicy("reads-roles", types: [role], readsExternal: true), countingStackPolicy],
                    origin: "test"),
         PolicyPack(name: "identity", version: "2.0.0", description: "", enforcementLevel: .mandatory,
                    policies: [resourcePolicy("role-ok", types: [role]), resourcePolicy("everything", types: ["*"], level: .advisory)],
                    origin: "test")]
    }

    static func engine(jobs: Int = 1) -> Engine {
        // Turns `everything` off for dev stacks and `quiet` on for prod ones.
        let resolver = SettingsResolver(stackLayers: [
            ("*/*/dev", "identity", PackSettingsLayer(levels: ["everything": .disabled])),
            ("*/*/prod", "storage", PackSettingsLayer(levels: ["quiet": .advisory])),
        ])
        return Engine(packs: packs, resolver: resolver,
                      exemptions: [Exemption(policy: "storage/bucket-ok", resources: ["*::logs"], reason: "legacy")],
                      options: EngineOptions(jobs: jobs, today: "2026-12-03"))
    }

    /// Stacks of one to a few resources of varied types, external ones and skipped ones among them.
    static func stacks(identity: String) throws -> [Stack] {
        let shapes: [[(String, String, String)]] = [
            [("logs", bucket, #"{"ok": false}"#)],
            [("data", bucket, #"{"ok": true}"#)],
            [("admin", role, #"{"ok": false}"#)],
            [("jobs", queue, #"{"ok": false}"#), ("k8s", "kubernetes:core/v1:Pod", #"{"ok": false}"#)],
            [("media", bucket, #"{"skip": true}"#), ("reader", role, #"{"ok": true}"#), ("logs", bucket, #"{"ok": false}"#)],
            [("other", "random:index/randomId:RandomId", #"{"ok": false}"#)],
            [("admin", role, #"{"ok": false}"#)],
        ]
        return try shapes.enumerated().map { offset, shape in
            var stack = try PolicyExampleRunner.makeStack(PolicyExample(
                resources: shape.map { ExampleResource($0.0, type: $0.1, properties: $0.2) }, expect: .pass))
            stack.identity = StackIdentity(parsing: identity)!
            // Every third stack reads its first resource rather than managing it.
            if offset % 3 == 2 {
                var resources = stack.graph.resources
                resources[0].external = true
                stack.graph = ResourceGraph(resources: resources)
            }
            return stack
        }
    }

    static func expectSame(_ a: StackResult, _ b: StackResult) {
        #expect(a.summary == b.summary)
        #expect(a.findings == b.findings)
        #expect(a.evaluations == b.evaluations)
        #expect(a.counts == b.counts)
        #expect(a.levels == b.levels)
        #expect(a.appliedExemptions == b.appliedExemptions)
        #expect(a.notices == b.notices)
    }

    @Test(arguments: ["acme/web/prod", "acme/web/dev", "other/api/staging"])
    func aReusedPreparedEngineGivesWhatEngineEvaluateGives(identity: String) throws {
        let engine = Self.engine()
        let prepared = PreparedEngine(engine, identity: StackIdentity(parsing: identity)!)
        let stacks = try Self.stacks(identity: identity)
        // Twice over, so the second round meets every type token already remembered.
        for stack in stacks + stacks {
            Self.expectSame(prepared.evaluate(stack), engine.evaluate(stack))
        }
    }

    @Test func aStackOfAnotherIdentityIsEvaluatedWithItsOwnSettings() throws {
        let engine = Self.engine()
        let prepared = PreparedEngine(engine, identity: StackIdentity(parsing: "acme/web/prod")!)
        for stack in try Self.stacks(identity: "acme/web/dev") {
            let result = prepared.evaluate(stack)
            Self.expectSame(result, engine.evaluate(stack))
            #expect(result.levels[PolicyKey(pack: "identity", policy: "everything")] == nil)
        }
    }

    @Test func settingsDecideWhichPoliciesRun() throws {
        let engine = Self.engine()
        let prod = try Self.stacks(identity: "acme/web/prod")[3]
        let dev = try Self.stacks(identity: "acme/web/dev")[3]
        let quiet = PolicyKey(pack: "storage", policy: "quiet"), everything = PolicyKey(pack: "identity", policy: "everything")
        let prodResult = PreparedEngine(engine, identity: prod.identity).evaluate(prod)
        let devResult = PreparedEngine(engine, identity: dev.identity).evaluate(dev)
        #expect(prodResult.findings.contains { $0.policy == quiet.policy })
        #expect(!devResult.findings.contains { $0.policy == quiet.policy || $0.policy == everything.policy })
        #expect(prodResult.findings.contains { $0.policy == "counted" && $0.resource == nil })
    }

    @Test func concurrentCallsOnOnePreparedEngineAgreeWithEngineEvaluate() throws {
        let engine = Self.engine()
        let prepared = PreparedEngine(engine, identity: StackIdentity(parsing: "acme/web/prod")!)
        let stacks = try Self.stacks(identity: "acme/web/prod")
        let expected = stacks.map { engine.evaluate($0) }
        let results = Parallel.map(64, workers: 4) { call in prepared.evaluate(stacks[call % stacks.count]) }
        for (call, result) in results.enumerated() { Self.expectSame(result, expected[call % stacks.count]) }
    }

    @Test func evaluatingTakenStacksGivesWhatEvaluatingBorrowedOnesGives() throws {
        let engine = Self.engine(jobs: 2)
        let prepared = PreparedEngine(engine, identity: StackIdentity(parsing: "acme/web/prod")!)
        for stack in try Self.stacks(identity: "acme/web/prod") {
            Self.expectSame(prepared.evaluate(taking: stack), engine.evaluate(stack))
        }
    }
}

/// A resource policy that also sees the resources a stack only reads.
struct ExternalReading: ReadResourcePolicy {
    let base: SwiftResourcePolicy
    init(_ base: SwiftResourcePolicy) { self.base = base }
    var descriptor: PolicyDescriptor { base.descriptor }
    var types: TypeSelector { base.types }
    func evaluate(_ context: ResourceContext, config: PolicyConfig) throws -> Outcome { try base.evaluate(context, config: config) }
}
