import RampartModel
import RampartPolicy
import Testing
@testable import RampartRules

/// A compiled rule copied for one evaluating worker (`copyForWorker()`) gives the rule's answers, and shares none of
/// the objects evaluation reference-counts with it: only the memos meant to be shared.
@Suite struct WorkerCopyTests {
    static let rules = RuleHarness.ruleFile("""
      - name: every-construct
        description: leaves, operands, quantifiers, negation and a regular expression
        config: { maxSize: { type: number, default: 10 }, zones: { type: array, default: [a, b] } }
        resources: { types: ["test:index:Thing"], where: { not: { path: skip, equals: true } } }
        validate:
          all:
            - { path: size, lessOrEqual: { config: maxSize } }
            - { path: zone, in: { config: zones } }
            - { path: tier, notIn: [free, trial, "a tier name long enough to live on the heap"] }
            - { path: a, equals: { path: b } }
            - { path: name, matches: "^[a-z]+$" }
            - { any: [ { path: rules, none: { path: open, equals: true } }, { path: "tags.*", isEmpty: false } ] }
        message: "{{ name }} breaks it"
      - name: joined
        description: a relation through a join
        resources: { types: ["test:index:Bucket"] }
        validate: { related: { types: ["test:index:Block"], via: { theirs: bucket, ours: $id }, where: { path: on, equals: true } } }
    """)

    static let resources = """
    - { type: "test:index:Thing", name: ok, props: { size: 10, zone: a, tier: paid, a: x, b: x, name: abc, rules: [{ open: false }] } }
    - { type: "test:index:Thing", name: big, props: { size: 11, zone: a, tier: paid, a: x, b: x, name: abc } }
    - { type: "test:index:Thing", name: free, props: { size: 1, zone: b, tier: free, a: x, b: x, name: abc } }
    - { type: "test:index:Thing", name: open, props: { size: 1, zone: b, tier: paid, a: x, b: x, name: abc, rules: [{ open: true }], tags: {} } }
    - { type: "test:index:Thing", name: tagged, props: { size: 1, zone: b, tier: paid, a: x, b: x, name: abc, rules: [{ open: true }], tags: { t: v } } }
    - { type: "test:index:Thing", name: unknown, props: { size: !unknown, zone: a, tier: paid, a: x, b: y, name: "A" } }
    - { type: "test:index:Thing", name: skipped, props: { skip: true } }
    - { type: "test:index:Bucket", name: b1, id: bucket-1 }
    - { type: "test:index:Bucket", name: b2, id: bucket-2 }
    - { type: "test:index:Block", name: k1, props: { bucket: bucket-1, on: true } }
    - { type: "test:index:Block", name: k2, props: { bucket: bucket-2, on: false } }
    """

    static func outcomes(_ policy: any ResourcePolicy, _ stack: Stack, config: PolicyConfig) throws -> [String: Outcome] {
        var out: [String: Outcome] = [:]
        for i in stack.graph.resources.indices where policy.types.matches(stack.graph.resources[i].type) {
            out[stack.graph.resources[i].name] = try policy.evaluate(ResourceContext(stack: stack, index: i), config: config)
        }
        return out
    }

    @Test func aCopyGivesTheRulesOutcomesAndMessages() throws {
        let pack = try RuleHarness.load(Self.rules).pack
        let stack = try RuleHarness.stack(Self.resources)
        for policy in pack.policies {
            let rule = try #require(policy.asResourcePolicy)
            let config = policy.descriptor.configSchema.defaults
            let original = try Self.outcomes(rule, stack, config: config)
            let copied = try Self.outcomes(rule.copyForWorker(), stack, config: config.copyForWorker())
            #expect(copied == original)
            #expect(Set(original.values.map(\.kind)).count > 1, "the stack gives each policy more than one kind of outcome")
        }
    }

    @Test func aCopySharesNoLeafOrPathButSharesTheMemos() throws {
        let pack = try RuleHarness.load(Self.rules).pack
        for policy in pack.policies {
            let rule = try #require(policy as? RuleResourcePolicy)
            let copy = try #require(rule.copyForWorker() as? RuleResourcePolicy)
            let ours = Objects(rule), theirs = Objects(copy)
            #expect(!ours.counted.isEmpty)
            #expect(ours.counted.count == theirs.counted.count)
            #expect(ours.counted.isDisjoint(with: theirs.counted))
            #expect(ours.shared == theirs.shared)
        }
    }

    @Test func aConfigCopyHoldsTheSameValues() {
        let config = PolicyConfig(["limit": .number(3), "names": .array([.string("a"), .string(String(repeating: "long ", count: 8))]),
                                   "nested": .object(["on": .bool(true), "none": .null])])
        #expect(config.copyForWorker() == config)
        #expect(PolicyConfig().copyForWorker() == PolicyConfig())
    }

    @Test func aSwiftPolicyIsItsOwnCopy() throws {
        let policy = SwiftResourcePolicy(PolicyDescriptor(name: "swift", description: "d"), types: ["*"]) { _, _ in .pass }
        #expect(policy.copyForWorker() is SwiftResourcePolicy)
    }

    /// The identities of a rule's reference-counted parts (leaves and paths) and of its shared memos.
    struct Objects {
        var counted: Set<ObjectIdentifier> = []
        var shared: Set<ObjectIdentifier> = []

        init(_ rule: RuleResourcePolicy) {
            if let applicability = rule.applicability { visit(applicability) }
            visit(rule.validation)
        }

        mutating func visit(_ condition: Condition) {
            switch condition {
            case .all(let parts), .any(let parts): parts.forEach { visit($0) }
            case .not(let inner): visit(inner)
            case .leaf(let leaf):
                counted.insert(ObjectIdentifier(leaf))
                visit(leaf.reference)
                switch leaf.op {
                case .matches(let regex), .notMatches(let regex): shared.insert(ObjectIdentifier(regex.answers))
                default: break
                }
            case .quantified(_, let reference, _, let body):
                visit(reference)
                visit(body)
            case .related(let relation):
                if case .join(let theirs, let ours, let cache) = relation.via {
                    visit(theirs)
                    visit(ours)
                    shared.insert(ObjectIdentifier(cache))
                }
                if let inner = relation.condition { visit(inner) }
            }
        }

        mutating func visit(_ reference: Reference) {
            if let path = reference.path { counted.insert(ObjectIdentifier(path)) }
        }
    }
}
