import Foundation
import RampartPolicy
import Testing
@testable import RampartRules

/// One operator, with a value that makes it true and one that makes it false, and what absent, unknown,
/// encrypted and decrypted-secret values give.
struct OperatorCase: Sendable, CustomStringConvertible {
    var op: String
    var yes: String
    var no: String
    var absent: OutcomeKind
    var unknown: OutcomeKind = .indeterminate
    var encrypted: OutcomeKind = .indeterminate
    /// `!secret <yes>`: decrypted secrets compare by their plaintext.
    var secret: OutcomeKind = .pass
    var description: String { op }
}

@Suite struct OperatorTests {
    static let cases: [OperatorCase] = [
        OperatorCase(op: "exists: true", yes: "1", no: "null", absent: .violation, encrypted: .pass),
        OperatorCase(op: "exists: false", yes: "null", no: "1", absent: .pass, encrypted: .violation),
        OperatorCase(op: "equals: prod", yes: "prod", no: "dev", absent: .violation),
        OperatorCase(op: "notEquals: prod", yes: "dev", no: "prod", absent: .pass),
        OperatorCase(op: "in: [a, b]", yes: "b", no: "c", absent: .violation),
        OperatorCase(op: "notIn: [a, b]", yes: "c", no: "a", absent: .pass),
        OperatorCase(op: "matches: '^prod-[0-9]+$'", yes: "prod-12", no: "dev-12", absent: .violation),
        OperatorCase(op: "notMatches: '^prod-'", yes: "dev-1", no: "prod-1", absent: .pass),
        OperatorCase(op: "contains: x", yes: "[a, x]", no: "[a]", absent: .violation),
        OperatorCase(op: "notContains: x", yes: "abc", no: "axe", absent: .pass),
        OperatorCase(op: "containsAll: [env, owner]", yes: "{env: prod, owner: me, x: 1}", no: "{env: prod}", absent: .violation),
        OperatorCase(op: "containsAny: [env, owner]", yes: "[owner]", no: "[team]", absent: .violation),
        OperatorCase(op: "startsWith: 'arn:aws:'", yes: "'arn:aws:s3:::b'", no: "s3://b", absent: .violation),
        OperatorCase(op: "endsWith: .internal", yes: "db.internal", no: "db.example.com", absent: .violation),
        OperatorCase(op: "greaterThan: 5", yes: "6", no: "5", absent: .violation),
        OperatorCase(op: "greaterOrEqual: 5", yes: "5", no: "4.5", absent: .violation),
        OperatorCase(op: "lessThan: 5", yes: "4", no: "5", absent: .violation),
        OperatorCase(op: "lessOrEqual: 5", yes: "5.0", no: "6", absent: .violation),
        OperatorCase(op: "length: { greaterOrEqual: 3 }", yes: "abc", no: "[1, 2]", absent: .violation),
        OperatorCase(op: "isEmpty: true", yes: "[]", no: "[1]", absent: .pass),
        OperatorCase(op: "isEmpty: false", yes: "{a: 1}", no: "''", absent: .violation),
        OperatorCase(op: "type: number", yes: "3", no: "'3'", absent: .violation),
        OperatorCase(op: "type: array", yes: "[]", no: "{}", absent: .violation),
        OperatorCase(op: "isSecret: true", yes: "!secret hunter2", no: "plain", absent: .violation, encrypted: .pass),
        OperatorCase(op: "isSecret: false", yes: "plain", no: "!secret hunter2", absent: .violation, encrypted: .violation, secret: .violation),
        OperatorCase(op: "isUnknown: true", yes: "!unknown", no: "1", absent: .violation, unknown: .pass, encrypted: .violation),
        OperatorCase(op: "isUnknown: false", yes: "1", no: "!unknown", absent: .violation, unknown: .violation, encrypted: .pass),
        OperatorCase(op: "cidrIncludes: 10.1.2.3", yes: "10.0.0.0/8", no: "192.168.0.0/16", absent: .violation),
        OperatorCase(op: "cidrIncludes: '2001:db8::1'", yes: "2001:db8::/32", no: "2001:db9::/32", absent: .violation),
    ]

    /// A new operator must come with a row above: the row is what pins its outcome on absent, unknown and
    /// encrypted values (the evaluator's exhaustive switches make it decide; this makes the decision tested).
    @Test func everyOperatorOfTheLanguageHasARow() {
        for name in ConditionChecker.operators {
            #expect(Self.cases.contains { $0.op.hasPrefix(name + ":") }, "no OperatorCase for '\(name)'")
        }
    }

    @Test(arguments: cases)
    func operatorOutcomes(_ c: OperatorCase) throws {
        let rules = RuleHarness.policy(validate: "{ path: x, \(c.op) }")
        let secretYes = c.yes.hasPrefix("!") ? c.yes : "!secret \(c.yes)"
        let resources = """
        resources:
          - { type: "test:index:Thing", name: yes, props: { x: \(c.yes) } }
          - { type: "test:index:Thing", name: no, props: { x: \(c.no) } }
          - { type: "test:index:Thing", name: absent, props: { y: 1 } }
          - { type: "test:index:Thing", name: unknown, props: { x: !unknown } }
          - { type: "test:index:Thing", name: encrypted, props: { x: !encrypted } }
          - { type: "test:index:Thing", name: secret, props: { x: \(secretYes) } }
        """
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, resources))
        #expect(got["yes"] == .pass, "true case")
        #expect(got["no"] == .violation, "false case")
        #expect(got["absent"] == c.absent, "absent")
        #expect(got["unknown"] == c.unknown, "unknown")
        #expect(got["encrypted"] == c.encrypted, "encrypted")
        #expect(got["secret"] == c.secret, "decrypted secret")
    }

    @Test func numbersCompareByValue() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, equals: 1 }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: float, props: { x: 1.0 } }
        - { type: "test:index:Thing", name: string, props: { x: "1" } }
        """))
        #expect(got == ["float": .pass, "string": .violation])
    }

    @Test func numericStringsAreNotNumbers() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, greaterThan: 1 }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, #"- { type: "test:index:Thing", name: s, props: { x: "5" } }"#))
        #expect(got == ["s": .violation])
    }

    @Test func equalsIsDeepAndIgnoresKeyOrder() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, equals: { a: [1, { b: c }], d: true } }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: same, props: { x: { d: true, a: [1.0, { b: c }] } } }
        - { type: "test:index:Thing", name: extra, props: { x: { d: true, a: [1, { b: c }], e: 1 } } }
        - { type: "test:index:Thing", name: nested-unknown, props: { x: { d: true, a: [1, { b: !unknown }] } } }
        """))
        #expect(got == ["same": .pass, "extra": .violation, "nested-unknown": .indeterminate])
    }

    @Test func ignoreCaseFoldsStringComparisons() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, in: [Enabled], ignoreCase: true }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: lower, props: { x: enabled } }
        - { type: "test:index:Thing", name: other, props: { x: disabled } }
        """))
        #expect(got == ["lower": .pass, "other": .violation])
        let strict = RuleHarness.policy(validate: "{ path: x, in: [Enabled] }")
        #expect(RuleHarness.kinds(try RuleHarness.outcomes(strict, #"- { type: "test:index:Thing", name: lower, props: { x: enabled } }"#)) == ["lower": .violation])
    }

    @Test func containsCoversSubstringsElementsAndKeys() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, contains: env }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: substring, props: { x: "my-env-1" } }
        - { type: "test:index:Thing", name: element, props: { x: [a, env] } }
        - { type: "test:index:Thing", name: key, props: { x: { env: prod } } }
        - { type: "test:index:Thing", name: value-only, props: { x: { tier: env } } }
        """))
        #expect(got == ["substring": .pass, "element": .pass, "key": .pass, "value-only": .violation])
    }

    @Test func operandsMayComeFromConfigOrAnotherPath() throws {
        let rules = RuleHarness.policy(validate: "{ all: [ { path: size, lessOrEqual: { config: maxSize } }, { path: a, equals: { path: b } } ] }",
                                       extra: "    config: { maxSize: { type: number, default: 10 } }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: ok, props: { size: 10, a: x, b: x } }
        - { type: "test:index:Thing", name: big, props: { size: 11, a: x, b: x } }
        - { type: "test:index:Thing", name: differ, props: { size: 1, a: x, b: y } }
        """))
        #expect(got == ["ok": .pass, "big": .violation, "differ": .violation])
        let overridden = try RuleHarness.outcomes(rules, #"- { type: "test:index:Thing", name: big, props: { size: 11, a: x, b: x } }"#,
                                                  config: PolicyConfig(["maxSize": .number(20)]))
        #expect(overridden["big"]?.kind == .pass)
    }

    @Test func cidrIncludesWorldOpenRangesOnly() throws {
        let rules = RuleHarness.policy(validate: "{ path: 'cidrs[*]', cidrIncludes: 0.0.0.0/0, match: none }")
        let got = RuleHarness.kinds(try RuleHarness.outcomes(rules, """
        - { type: "test:index:Thing", name: private, props: { cidrs: [10.0.0.0/8, 172.16.0.0/12] } }
        - { type: "test:index:Thing", name: world, props: { cidrs: [10.0.0.0/8, 0.0.0.0/0] } }
        - { type: "test:index:Thing", name: v6-world, props: { cidrs: ["::/0"] } }
        - { type: "test:index:Thing", name: garbage, props: { cidrs: [not-a-cidr] } }
        """))
        #expect(got == ["private": .pass, "world": .violation, "v6-world": .pass, "garbage": .pass])
    }

    @Test func cidrParsesBothFamilies() {
        #expect(CIDR("0.0.0.0/0")!.includes(CIDR("203.0.113.7")!))
        #expect(CIDR("::/0")!.includes(CIDR("2001:db8::1")!))
        #expect(!CIDR("::/0")!.includes(CIDR("10.0.0.1")!))
        #expect(CIDR("::ffff:10.0.0.0/104")!.includes(CIDR("::ffff:10.1.2.3")!))
        #expect(CIDR("fe80::1%eth0") == nil)
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("1:2:3:4:5:6:7:8:9") == nil)
        #expect(CIDR("2001:db8:0:0:1::/80")!.description == "2001:db8:0:0:1:0:0:0/80")
    }

    @Test func longValuesAreNotRegexMatched() throws {
        let rules = RuleHarness.policy(validate: "{ path: x, matches: 'a' }")
        let long = String(repeating: "a", count: CompiledRegex.maxInputLength + 1)
        let got = try RuleHarness.outcomes(rules, "- { type: \"test:index:Thing\", name: long, props: { x: \(long) } }")
        guard case .indeterminate(let reason)? = got["long"] else { Issue.record("expected indeterminate, got \(String(describing: got["long"]))"); return }
        #expect(reason.contains("limit for regular expression matching"))
    }

    @Test func emptinessAndLengthAreReadForEveryKindOfValue() throws {
        let resources = """
        resources:
          - { type: "test:index:Thing", name: emptyString, props: { x: '' } }
          - { type: "test:index:Thing", name: string, props: { x: 'héllo' } }
          - { type: "test:index:Thing", name: emptyList, props: { x: [] } }
          - { type: "test:index:Thing", name: list, props: { x: [1, [], {}, 4, 5] } }
          - { type: "test:index:Thing", name: emptyMap, props: { x: {} } }
          - { type: "test:index:Thing", name: map, props: { x: { a: 1, b: 2, c: 3, d: 4, e: 5 } } }
          - { type: "test:index:Thing", name: zero, props: { x: 0 } }
          - { type: "test:index:Thing", name: flag, props: { x: false } }
          - { type: "test:index:Thing", name: secretEmpty, props: { x: !secret '' } }
        """
        let empty = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: x, isEmpty: true }"), resources))
        #expect(empty == ["emptyString": .pass, "string": .violation, "emptyList": .pass, "list": .violation, "emptyMap": .pass,
                          "map": .violation, "zero": .violation, "flag": .violation, "secretEmpty": .pass])
        let five = RuleHarness.kinds(try RuleHarness.outcomes(RuleHarness.policy(validate: "{ path: x, length: { equals: 5 } }"), resources))
        #expect(five == ["emptyString": .violation, "string": .pass, "emptyList": .violation, "list": .pass, "emptyMap": .violation,
                         "map": .pass, "zero": .violation, "flag": .violation, "secretEmpty": .violation])
    }
}

/// A compiled regular expression remembers its answers for short values, and they are the answers a match gives.
@Suite struct RegexAnswersTests {
    @Test func rememberedAnswersAreTheMatchesAnswers() throws {
        let regex = try #require(try? CompiledRegex(regex: NSRegularExpression(pattern: "^(nodejs20|python3\\.1[2-9])"),
                                                    pattern: "^(nodejs20|python3\\.1[2-9])"))
        let values = ["nodejs20.x", "python3.12", "python3.9", "go1.x", "", "nodejs18.x", "python3.19"]
        let first = values.map { regex.matches($0) }
        #expect(first == [true, true, false, false, false, false, true])
        #expect(regex.answers.count == values.count)
        #expect(values.map { regex.matches($0) } == first)
        #expect(values.map { regex.answers[$0] } == first)
    }

    @Test func onlyShortValuesAreRememberedAndOnlyUpToTheCapacity() throws {
        let regex = try #require(try? CompiledRegex(regex: NSRegularExpression(pattern: "7$"), pattern: "7$"))
        let long = String(repeating: "x", count: RegexAnswers.longestValue) + "7"
        #expect(regex.matches(long) == true)
        #expect(regex.answers[long] == nil)
        for i in 0..<(RegexAnswers.capacity + 10) { #expect(regex.matches("v\(i)") == (i % 10 == 7)) }
        #expect(regex.answers.count == RegexAnswers.capacity)
        #expect(regex.matches("late-7") == true)
        #expect(regex.answers["late-7"] == nil)
        #expect(regex.answers.count == RegexAnswers.capacity)
    }
}
