import Foundation
import RampartModel
import RampartPolicy
import Testing
@testable import RampartRules

/// A leaf answered straight from the document (`DirectCheck`) gives what the general walk and `Evaluator.apply` give,
/// for every value it may meet; where it cannot tell (secrets, unknowns, signature objects, containers) it leaves the
/// answer to the general walk.
@Suite struct DirectCheckTests {
    /// Values put at `a.b` (and as the first element of `list`), as JSON text.
    static let values = [
        "true", "false", "0", "1", "1.0", "1e0", "22", "-3.5", "43200", "\"required\"", "\"Required\"", "\"re\\u0071uired\"",
        "\"true\"", "\"1\"", "\"22\"", "\"\"", "null", "\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"", "\"[secret]\"",
        #"{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"required\""}"#,
        #"{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "xyz"}"#,
        #"{"4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", "value": 22}"#,
        #"{"4dabf18193072939515e22adb298388d": "8ad145fe-0d11-4827-bfd7-1abcbf086f5c", "value": "4036000000000000"}"#,
        "[1, 2]", "[]", #"{"c": 1}"#, "{}", #"["required", null, [1]]"#, #"["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "required"]"#,
        #"[{"c": 1}, 22]"#, "[true]", #"[22.0, "true"]"#,
        // Ends of strings: Swift compares ASCII strings' ends by bytes (a CR LF pair included), others by characters.
        "\"re\\r\\nquired\"", "\"re\\r\"", "\"K\"", "\"\u{212A}\"", "\"e\u{301}d\"", "\"requiredé\"", "\"é\"",
        #"[{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"required\""}]"#,
    ]

    /// Documents holding `value` in several places: under a plain path, under a repeated key, as an array element,
    /// and under an object that is a secret (the walk must step through it by its own rules).
    static func document(_ value: String) -> String {
        #"{"a": {"b": \#(value), "x": 1}, "twice": {"b": "required", "b": \#(value)}, "list": [\#(value), 2], "#
            + #""s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "{\"b\": 1}"}, "#
            + #""str": "text", "none": null}"#
    }

    static let paths = ["a.b", "twice.b", "list[0]", "list[5]", "a.missing", "a.b.c", "a.b[0]", "s.b", "str.b", "none.b", "a"]

    static let operators: [(String, Operator)] = {
        let literals: [ConfigValue] = [.bool(true), .bool(false), .number(1), .number(22), .string("required"), .string("true"), .string("")]
        var ops: [(String, Operator)] = [("exists", .exists(true)), ("absent", .exists(false)), ("isEmpty", .isEmpty(true)),
                                         ("notEmpty", .isEmpty(false))]
        for literal in literals {
            ops.append(("equals \(literal)", .equals(.literal(literal))))
            ops.append(("notEquals \(literal)", .notEquals(.literal(literal))))
            ops.append(("contains \(literal)", .contains(.literal(literal))))
            ops.append(("notContains \(literal)", .notContains(.literal(literal))))
        }
        let lists: [ConfigValue] = [.array([.string("required"), .number(22), .bool(false)]), .array([]), .string("required")]
        for list in lists {
            ops.append(("in \(list)", .isIn(.literal(list))))
            ops.append(("notIn \(list)", .notIn(.literal(list))))
        }
        for comparison in NumericComparison.allCases {
            ops.append(("\(comparison) 22", .compare(comparison, .literal(.number(22)))))
        }
        for affix in ["re", "ed", "required", "requiredx", "", "\r", "\n", "re\r", "\r\nquired", "K", "e", "d", "1", "true"] {
            ops.append(("startsWith \(affix.debugDescription)", .startsWith(.literal(.string(affix)))))
            ops.append(("endsWith \(affix.debugDescription)", .endsWith(.literal(.string(affix)))))
        }
        for pattern in ["^re", "ed$", "^(true|22)$", "é", "^$", "K"] {
            let regex = CompiledRegex(regex: try! NSRegularExpression(pattern: pattern), pattern: pattern)
            ops.append(("matches \(pattern)", .matches(regex)))
            ops.append(("notMatches \(pattern)", .notMatches(regex)))
        }
        return ops
    }()

    static func leaf(_ path: String, _ op: Operator, ignoreCase: Bool = false) throws -> Leaf {
        let compiled = try PathParser.path(path, allowEmpty: false)
        return Leaf(reference: .props(compiled), op: op, ignoreCase: ignoreCase, match: .all, isWildcard: false, pathText: path)
    }

    static func general(_ leaf: Leaf, _ scope: Scope) throws -> Truth {
        let evaluator = Evaluator(policy: "p", defaults: PolicyConfig())
        var trace = Trace()
        return try evaluator.apply(leaf, to: evaluator.resolve(leaf.reference, scope), scope, &trace)
    }

    @Test(arguments: values)
    func aDirectAnswerIsTheGeneralWalksAnswer(_ value: String) throws {
        let stack = try RuleHarness.stack("- { type: \"test:index:Thing\", name: t, props: {} }")
        for dialect in [PropertyDialect.state, .preview] {
            let root = Item(try PropertyValue.parse(json: Self.document(value), dialect: dialect))
            let scope = Scope(stack: stack, index: 0, config: PolicyConfig()).element(root)
            for path in Self.paths {
                for (name, op) in Self.operators {
                    let leaf = try Self.leaf(path, op)
                    let direct = try #require(leaf.direct, "\(name) has a direct form")
                    guard let answer = direct.answer(root) else { continue }
                    #expect(Truth(answer) == (try Self.general(leaf, scope)), "\(name) at \(path) of \(value) (\(dialect))")
                }
            }
        }
    }

    @Test func scalarsAndMissingValuesAreAnsweredDirectly() throws {
        for (value, path) in [("\"required\"", "a.b"), ("22", "a.b"), ("false", "list[0]"), ("null", "a.b"), ("1", "a.missing"),
                              ("1", "list[5]"), ("1", "twice.b")] {
            let root = Item(try PropertyValue.parse(json: Self.document(value)))
            let direct = try #require(try Self.leaf(path, .equals(.literal(.string("required")))).direct)
            #expect(direct.answer(root) != nil, "\(path) of \(value)")
        }
    }

    @Test func theEndsOfPlainASCIIStringsAreAnsweredDirectlyAndOthersLeftToTheGeneralWalk() throws {
        for (value, answer) in [("\"required\"", true), ("\"ready\"", false), ("\"r\"", false), ("22", false),
                                ("\"requiredé\"", nil), ("\"re\\u0071uired\"", nil)] as [(String, Bool?)] {
            let root = Item(try PropertyValue.parse(json: Self.document(value)))
            let direct = try #require(try Self.leaf("a.b", .startsWith(.literal(.string("req")))).direct)
            #expect(direct.answer(root) == answer, "\(value)")
        }
    }

    @Test func theSentinelLengthsAreThoseOfPulumisSentinels() {
        #expect(PulumiSignature.unknownLength == PulumiSignature.unknown.utf8.count)
        #expect(PulumiSignature.blindedSecretLength == PulumiSignature.blindedSecret.utf8.count)
    }

    @Test func secretsUnknownsAndContainersAreLeftToTheGeneralWalk() throws {
        for (value, path, dialect) in [("\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"", "a.b", PropertyDialect.state),
                                       ("\"[secret]\"", "a.b", .preview), ("[1]", "a.b", .state), (#"{"c": 1}"#, "a.b", .state),
                                       ("1", "s.b", .state), ("1", "str.b", .state), ("1", "a", .state)] {
            let root = Item(try PropertyValue.parse(json: Self.document(value), dialect: dialect))
            let direct = try #require(try Self.leaf(path, .exists(true)).direct)
            #expect(direct.answer(root) == nil, "\(path) of \(value)")
        }
    }

    @Test func onlyLiteralScalarComparisonsOverPlainPathsHaveADirectForm() throws {
        #expect(try Self.leaf("a.b", .equals(.literal(.string("x"))), ignoreCase: true).direct == nil)
        #expect(try Self.leaf("a.b", .equals(.literal(.array([.string("x")])))).direct == nil)
        #expect(try Self.leaf("a.b", .equals(.literal(.null))).direct == nil)
        #expect(try Self.leaf("a.b", .isIn(.literal(.array([.array([])])))).direct == nil)
        #expect(try Self.leaf("a.b", .equals(.config("k"))).direct == nil)
        #expect(try Self.leaf("a.b", .compare(.lessThan, .literal(.string("3")))).direct == nil)
        #expect(try Self.leaf("a.b", .isSecret(true)).direct == nil)
        #expect(try Self.leaf("a.b", .contains(.literal(.string("x"))), ignoreCase: true).direct == nil)
        #expect(try Self.leaf("a.b", .contains(.literal(.array([])))).direct == nil)
        #expect(try Self.leaf("a.b", .startsWith(.literal(.string("x"))), ignoreCase: true).direct == nil)
        #expect(try Self.leaf("a.b", .startsWith(.literal(.string("é")))).direct == nil)
        #expect(try Self.leaf("a.b", .endsWith(.config("k"))).direct == nil)
        let wildcard = try PathParser.path("a[*]", allowEmpty: false)
        #expect(Leaf(reference: .props(wildcard), op: .exists(true), ignoreCase: false, match: .all, isWildcard: true,
                     pathText: "a[*]").direct == nil)
        let config = try PathParser.path("b", allowEmpty: false)
        #expect(Leaf(reference: .config(key: "k", path: config), op: .exists(true), ignoreCase: false, match: .all,
                     isWildcard: false, pathText: "$config.k.b").direct == nil)
    }

    /// Rules over `all`, `any`, `not`, `where` and the three quantifiers (direct), rules of one leaf without `where`,
    /// and one over a relation-free leaf without a direct form (`cidrIncludes`, not direct).
    static let rules: [(validate: String, applicability: String?, direct: Bool)] = [
        ("{ path: a.b, lessOrEqual: 3 }", nil, true),
        ("{ path: tags, notContains: open }", nil, true),
        ("{ path: c, in: [x, z] }", "{ path: kind, exists: true }", true),
        ("{ all: [ { path: a.b, equals: 1 }, { path: c, exists: true } ] }", nil, true),
        ("{ any: [ { path: a.b, lessThan: 1 }, { path: c, notEquals: x } ] }", "{ path: kind, in: [web, db] }", true),
        ("{ not: { path: a.b, greaterThan: 3 } }", "{ not: { path: c, exists: false } }", true),
        ("{ all: [ { path: c, equals: x }, { path: list, some: { path: n, equals: 1 } } ] }", nil, true),
        ("{ path: list, every: { path: n, lessThan: 3 } }", nil, true),
        ("{ path: list, none: { all: [ { path: tags, contains: open }, { path: n, greaterOrEqual: 1 } ] } }", nil, true),
        ("{ path: list, some: { path: name, matches: \"^a\" } }", nil, true),
        ("{ path: list, some: { path: name, cidrIncludes: 10.0.0.1 } }", nil, false),
        ("{ any: [ { path: c, startsWith: x }, { path: kind, endsWith: b } ] }", nil, true),
        ("{ path: list, every: { path: n, exists: true } }", "{ path: tags, isEmpty: false }", true),
    ]

    static let resources = """
    - { type: "test:index:Thing", name: r1, props: { a: { b: 1 }, c: x, kind: web, list: [ { n: 1, tags: [open] }, { n: 4 } ] } }
    - { type: "test:index:Thing", name: r2, props: { a: { b: 5 }, c: y, kind: db, list: [ { n: 1 } ], tags: [] } }
    - { type: "test:index:Thing", name: r3, props: { a: { b: !unknown }, c: x, kind: web } }
    - { type: "test:index:Thing", name: r4, props: { a: { b: !encrypted }, c: !unknown, kind: other } }
    - { type: "test:index:Thing", name: r5, props: { a: null, kind: web } }
    - { type: "test:index:Thing", name: r6, props: { a: { b: !secret 0 }, c: x, kind: db } }
    - { type: "test:index:Thing", name: r7, props: { a: [ 1 ], c: "", kind: web } }
    - { type: "test:index:Thing", name: r8, props: {} }
    - { type: "test:index:Thing", name: r9, props: { c: x, list: [ { n: 2, tags: [shut, !unknown ] }, { n: !unknown } ], tags: [ a ] } }
    - { type: "test:index:Thing", name: r10, props: { c: x, list: [ 1, { n: 0 } ], tags: "" } }
    - { type: "test:index:Thing", name: r11, props: { c: x, list: { n: 1 }, tags: [ open ] } }
    - { type: "test:index:Thing", name: r12, props: { c: x, list: [ { n: 0, tags: [ null, [open], open ] }, !secret { n: 1 } ] } }
    """

    @Test func aPolicyAnswersFromDirectFormsWhatItsGeneralEvaluationAnswers() throws {
        let stack = try RuleHarness.stack(Self.resources)
        for rule in Self.rules {
            let text = RuleHarness.ruleFile("""
              - name: p
                description: test policy
                resources: { types: ["test:index:*"]\(rule.applicability.map { ", where: \($0)" } ?? "") }
                validate: \(rule.validate)
                message: "{{ name }} fails"

            """)
            let policy = try #require(try RuleHarness.load(text).pack.policies[0] as? RuleResourcePolicy)
            #expect(policy.direct == rule.direct, "\(rule.validate)")
            let config = policy.descriptor.configSchema.defaults
            var answeredDirectly = 0
            for index in stack.graph.resources.indices {
                let context = ResourceContext(stack: stack, index: index)
                let general = try policy.generalOutcome(context, config: config)
                #expect(try policy.evaluate(context, config: config) == general, "\(rule.validate) on r\(index + 1)")
                if let direct = policy.direct ? policy.directOutcome(context, config: config) : nil {
                    #expect(direct == general, "\(rule.validate) on r\(index + 1)")
                    answeredDirectly += 1
                }
            }
            // Unknowns, secrets, nulls on the way and objects where an array was expected are left to the general
            // evaluation; the plain resources are answered directly.
            #expect(rule.direct ? answeredDirectly >= 3 : answeredDirectly == 0, "\(rule.validate): \(answeredDirectly)")
        }
    }
}
