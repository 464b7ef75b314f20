import RampartPolicy
import Testing
@testable import RampartRules

@Suite struct QuantifierTests {
    static let resources = """
    - { type: "test:index:Thing", name: mixed, props: { rules: [{ port: 22, open: false }, { port: 80, open: true }] } }
    - { type: "test:index:Thing", name: bad, props: { rules: [{ port: 22, open: true }] } }
    - { type: "test:index:Thing", name: empty, props: { rules: [] } }
    - { type: "test:index:Thing", name: absent, props: {} }
    - { type: "test:index:Thing", name: unknown-element, props: { rules: [{ port: 22, open: !unknown }] } }
    - { type: "test:index:Thing", name: object, props: { rules: { a: { port: 22, open: true } } } }
    """
    static let sameRule = "{ all: [ { path: port, equals: 22 }, { path: open, equals: true } ] }"

    @Test func someHoldsWhenOneElementMatches() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: rules, some: \(Self.sameRule) }"), Self.resources))
        #expect(got == ["mixed": .violation, "bad": .pass, "empty": .violation, "absent": .violation, "unknown-element": .indeterminate, "object": .pass])
    }

    @Test func everyHoldsVacuouslyOnEmptyArrays() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: rules, every: { path: port, equals: 22 } }"), Self.resources))
        #expect(got == ["mixed": .violation, "bad": .pass, "empty": .pass, "absent": .pass, "unknown-element": .pass, "object": .pass])
    }

    @Test func noneRequiresTheSameElementToMatchBothParts() throws {
        // A wildcard leaf pair would flag "mixed" (port 22 somewhere, open somewhere); the quantifier does not.
        let got = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: rules, none: \(Self.sameRule) }"), Self.resources))
        #expect(got == ["mixed": .pass, "bad": .violation, "empty": .pass, "absent": .pass, "unknown-element": .indeterminate, "object": .violation])
    }

    @Test func elementPathsCanReachTheResourceThroughReferences() throws {
        let rules = RuleHarness.policy(validate: "{ path: names, every: { path: $this, startsWith: { path: $inputs.prefix } } }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: ok, props: { prefix: app-, names: [app-1, app-2] } }
        - { type: "test:index:Thing", name: stray, props: { prefix: app-, names: [app-1, db-2] } }
        """))
        #expect(got == ["ok": .pass, "stray": .violation])
    }
}

@Suite struct WildcardTests {
    static let resources = """
    - { type: "test:index:Thing", name: all-big, props: { xs: [{ n: 5 }, { n: 6 }], tags: { a: x, b: x } } }
    - { type: "test:index:Thing", name: one-big, props: { xs: [{ n: 1 }, { n: 6 }], tags: { a: x, b: y } } }
    - { type: "test:index:Thing", name: none, props: { xs: [], tags: {} } }
    - { type: "test:index:Thing", name: unknown, props: { xs: [{ n: 1 }, { n: !unknown }], tags: !unknown } }
    """

    @Test func wildcardLeafHoldsForEveryValueByDefault() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: 'xs[*].n', greaterThan: 4 }"), Self.resources))
        #expect(got == ["all-big": .pass, "one-big": .violation, "none": .pass, "unknown": .violation])
    }

    @Test func matchAnyAndNoneChangeTheCombination() throws {
        let any = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: 'xs[*].n', greaterThan: 4, match: any }"), Self.resources))
        #expect(any == ["all-big": .pass, "one-big": .pass, "none": .violation, "unknown": .indeterminate])
        let none = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: 'xs[*].n', greaterThan: 4, match: none }"), Self.resources))
        #expect(none == ["all-big": .violation, "one-big": .violation, "none": .pass, "unknown": .indeterminate])
    }

    @Test func objectWildcardVisitsEveryValue() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: tags.*, equals: x }"), Self.resources))
        #expect(got == ["all-big": .pass, "one-big": .violation, "none": .pass, "unknown": .indeterminate])
    }

    @Test func quotedKeysAndIndexesResolve() throws {
        let rules = RuleHarness.policy(validate: #"{ path: 'tags["kubernetes.io/name"]', equals: web }"#)
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, #"- { type: "test:index:Thing", name: k, props: { tags: { "kubernetes.io/name": web } } }"#))
        #expect(got == ["k": .pass])
        let indexed = RuleHarness.policy(validate: "{ path: 'a[1].b', equals: 2 }")
        #expect(RuleHarness.kinds(try RuleHarness.outcomes(indexed, #"- { type: "test:index:Thing", name: i, props: { a: [{ b: 1 }, { b: 2 }] } }"#)) == ["i": .pass])
    }
}

@Suite struct ReferenceTests {
    @Test func identityAndOptionReferencesResolve() throws {
        let rules = RuleHarness.policy(validate: """
        { all: [ { path: $type, equals: "test:index:Thing" }, { path: $name, equals: child }, { path: $id, equals: child-id },
                 { path: $stack, equals: prod }, { path: $project, equals: web }, { path: $org, equals: acme },
                 { path: $protect, equals: true }, { path: $custom, equals: true }, { path: $parent.type, equals: "test:index:Parent" },
                 { path: $parent.name, equals: parent }, { path: $provider.type, equals: "pulumi:providers:aws" },
                 { path: $provider.props.region, equals: eu-west-1 }, { path: $urn, endsWith: "::child" },
                 { path: $inputs.size, equals: 1 }, { path: $outputs.size, equals: 2 } ] }
        """)
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        stack: acme/web/prod
        resources:
          - { type: "pulumi:providers:aws", name: aws, props: { region: eu-west-1 } }
          - { type: "test:index:Parent", name: parent, custom: false }
          - { type: "test:index:Thing", name: child, id: child-id, parent: parent, provider: aws, protect: true, inputs: { size: 1 }, outputs: { size: 2 } }
        """))
        #expect(got == ["child": .pass, "parent": .violation])
    }

    @Test func providerPropsAreTheProvidersInputsInAStateToo() throws {
        let rules = RuleHarness.policy(validate: "{ path: $provider.props.region, equals: eu-west-1 }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        resources:
          - { type: "pulumi:providers:aws", name: aws, inputs: { region: eu-west-1 }, outputs: { region: us-east-1 } }
          - { type: "test:index:Thing", name: child, provider: aws, outputs: { size: 2 } }
        """))
        #expect(got["child"] == .pass)
    }

    @Test func previewsReadInputsByDefault() throws {
        let rules = RuleHarness.policy(validate: "{ path: size, equals: 1 }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        kind: preview
        resources:
          - { type: "test:index:Thing", name: a, inputs: { size: 1 }, outputs: { size: 2 } }
        """))
        #expect(got == ["a": .pass])
    }

    @Test func whereFalseIsNotApplicable() throws {
        let rules = RuleHarness.ruleFile("""
          - name: p
            description: d
            resources: { types: ["test:*"], where: { path: tags.env, equals: prod } }
            validate: { path: encrypted, equals: true }
        """)
        let got = try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: dev, props: { tags: { env: dev } } }
        - { type: "test:index:Thing", name: prod, props: { tags: { env: prod }, encrypted: true } }
        - { type: "test:index:Thing", name: later, props: { tags: !unknown } }
        """)
        #expect(RuleHarness.kinds(got) == ["dev": .notApplicable, "prod": .pass, "later": .indeterminate])
    }
}

@Suite struct RelationTests {
    static let graph = """
    - { type: "test:index:Bucket", name: b1, id: bucket-1, props: { bucket: bucket-1 } }
    - { type: "test:index:Bucket", name: b2, id: bucket-2, props: { bucket: bucket-2 } }
    - { type: "test:index:Bucket", name: b3, id: bucket-3, props: { bucket: bucket-3 } }
    - { type: "test:index:Block", name: k1, props: { bucket: bucket-1, on: true } }
    - { type: "test:index:Block", name: k2, props: { bucket: bucket-2, on: false } }
    - { type: "test:index:Block", name: k3, props: { buckets: [bucket-3, other], on: true } }
    """

    func relationPolicy(_ related: String, types: String = "test:index:Bucket") -> String {
        RuleHarness.ruleFile("""
          - name: p
            description: d
            resources: { types: ["\(types)"] }
            validate: { related: \(related) }
        """)
    }

    @Test func joinMatchesTheirPropertyToOurValue() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Block"], via: { theirs: bucket, ours: $id }, where: { path: on, equals: true } }"#), Self.graph))
        #expect(got == ["b1": .pass, "b2": .violation, "b3": .violation])
    }

    @Test func joinAcceptsArraysThatContainOurValue() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Block"], via: { theirs: buckets, ours: bucket } }"#), Self.graph))
        #expect(got == ["b1": .violation, "b2": .violation, "b3": .pass])
    }

    @Test func countBoundsTheNumberOfRelatedResources() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Block"], via: { theirs: bucket, ours: $id }, count: { equals: 0 } }"#), Self.graph))
        #expect(got == ["b1": .violation, "b2": .violation, "b3": .pass])
    }

    @Test func unknownJoinValuesMakeTheRelationIndeterminate() throws {
        let got = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Block"], via: { theirs: bucket, ours: $id } }"#), """
        - { type: "test:index:Bucket", name: new, id: !unknown }
        - { type: "test:index:Bucket", name: old, id: old-1 }
        - { type: "test:index:Block", name: k, props: { bucket: !unknown } }
        """))
        #expect(got == ["new": .indeterminate, "old": .indeterminate])
    }

    @Test func joinIndexesAreKeptPerStack() throws {
        let pack = try RuleHarness.load(relationPolicy(#"{ types: ["test:index:Block"], via: { theirs: bucket, ours: $id } }"#)).pack
        let policy = try #require(pack.policies.first as? any ResourcePolicy)
        let first = try RuleHarness.stack("- { type: \"test:index:Bucket\", name: b, id: x }\n- { type: \"test:index:Block\", name: k, props: { bucket: x } }")
        let second = try RuleHarness.stack("- { type: \"test:index:Bucket\", name: b, id: x }\n- { type: \"test:index:Block\", name: k, props: { bucket: y } }")
        for _ in 0..<2 {
            #expect(try policy.evaluate(ResourceContext(stack: first, index: 0), config: PolicyConfig()).kind == .pass)
            #expect(try policy.evaluate(ResourceContext(stack: second, index: 0), config: PolicyConfig()).kind == .violation)
        }
    }

    static let family = """
    - { type: "test:index:Parent", name: p, custom: false }
    - { type: "test:index:Child", name: c1, parent: p, dependencies: [d], props: { ok: true } }
    - { type: "test:index:Child", name: c2, parent: p, propertyDependencies: { x: [d] }, props: { ok: false } }
    - { type: "test:index:Dep", name: d }
    - { type: "test:index:Dep", name: lonely }
    """

    @Test func parentAndChildrenFollowTheComponentTree() throws {
        let parent = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Parent"], via: parent }"#, types: "test:index:*"), Self.family))
        #expect(parent == ["p": .violation, "c1": .pass, "c2": .pass, "d": .violation, "lonely": .violation])
        let children = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Child"], via: children, where: { path: ok, equals: true }, count: { greaterOrEqual: 2 } }"#, types: "test:index:Parent"), Self.family))
        #expect(children == ["p": .violation])
    }

    @Test func dependenciesAndDependentsFollowTheDependencyGraph() throws {
        let dependencies = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Dep"], via: dependencies }"#, types: "test:index:Child"), Self.family))
        #expect(dependencies == ["c1": .pass, "c2": .pass])
        let dependents = RuleHarness.kinds(try RuleHarness.outcomes(relationPolicy(#"{ types: ["test:index:Child"], via: dependents, count: { equals: 2 } }"#, types: "test:index:Dep"), Self.family))
        #expect(dependents == ["d": .pass, "lonely": .violation])
    }
}

@Suite struct StackPolicyTests {
    static let rules = RuleHarness.ruleFile("""
      - name: trail
        description: d
        stack:
          where: { stack: "*/*/prod" }
          require:
            - { types: ["aws:cloudtrail/trail:Trail"], where: { path: multi, equals: true } }
            - { types: ["aws:kms/key:Key"], count: { lessOrEqual: 1 } }
        message: "stack {{ stack }} lacks a trail"
    """)

    @Test func requireEntriesMustAllHold() throws {
        let ok = try RuleHarness.outcomes(Self.rules, "stack: a/b/prod\nresources:\n  - { type: \"aws:cloudtrail/trail:Trail\", name: t, props: { multi: true } }")
        #expect(RuleHarness.kinds(ok) == ["$stack": .pass])
        let missing = try RuleHarness.outcomes(Self.rules, "stack: a/b/prod\nresources:\n  - { type: \"aws:cloudtrail/trail:Trail\", name: t, props: { multi: false } }")
        #expect(missing["$stack"] == .violation(Violation("stack a/b/prod lacks a trail")))
        let tooMany = try RuleHarness.outcomes(Self.rules, """
        stack: a/b/prod
        resources:
          - { type: "aws:cloudtrail/trail:Trail", name: t, props: { multi: true } }
          - { type: "aws:kms/key:Key", name: k1 }
          - { type: "aws:kms/key:Key", name: k2 }
        """)
        #expect(RuleHarness.kinds(tooMany) == ["$stack": .violation])
        let unknown = try RuleHarness.outcomes(Self.rules, "stack: a/b/prod\nresources:\n  - { type: \"aws:cloudtrail/trail:Trail\", name: t, props: { multi: !unknown } }")
        #expect(RuleHarness.kinds(unknown) == ["$stack": .indeterminate])
    }

    @Test func stacksOutsideThePatternAreNotApplicable() throws {
        let got = try RuleHarness.outcomes(Self.rules, "stack: a/b/dev\nresources: []")
        #expect(RuleHarness.kinds(got) == ["$stack": .notApplicable])
    }
}

@Suite struct TemplateTests {
    @Test func templatesNeverPrintSecrets() throws {
        let rules = RuleHarness.ruleFile("""
          - name: p
            description: d
            config: { limit: { type: integer, default: 3 } }
            resources: { types: ["test:*"] }
            validate: { path: never, exists: true }
            message: "{{ type }} {{name}} id={{ id }} pw={{ props.password }} nested={{ props.conn }} later={{ props.later }} gone={{ props.gone }} n={{ props.n }} limit={{ config.limit }} urn={{ urn }} stack={{ stack }}"
        """)
        let got = try RuleHarness.outcomes(rules, """
        stack: acme/web/prod
        resources:
          - { type: "test:index:Db", name: db, props: { password: !secret hunter2, conn: { user: admin, pass: !encrypted }, later: !unknown, n: 5 } }
        """)
        guard case .violation(let v)? = got["db"] else { Issue.record("expected a violation"); return }
        #expect(v.message == #"test:index:Db db id=db pw=[secret] nested={user: "admin", pass: "[secret]"} later=[unknown] gone=[absent] n=5 limit=3 urn=urn:pulumi:prod::web::test:index:Db::db stack=acme/web/prod"#)
        #expect(!v.message.contains("hunter2"))
    }

    @Test func messageDefaultsToTheDescription() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, exists: true }")
        let got = try RuleHarness.outcomes(rules, #"- { type: "test:index:Thing", name: a }"#)
        #expect(got["a"] == .violation(Violation("test policy")))
    }
}
