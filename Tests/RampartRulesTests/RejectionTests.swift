import Foundation
import Testing
@testable import RampartRules

/// Every rejection docs/rules.md, "Errors" lists, with its exact message.
@Suite struct RejectionTests {
    static func policy(_ body: String) -> String {
        RuleHarness.ruleFile("""
          - name: p
            description: d
        \(body)
        """)
    }

    @Test func rejectsMisspeltOperatorWithSuggestion() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: acl, equal: private }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:7:28: unknown operator 'equal' — did you mean 'equals'?")
    }

    @Test func rejectsUnknownPolicyKeyWithSuggestion() {
        let text = Self.policy("    sevrity: high\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:6:5: unknown key 'sevrity' in policy 'p' — did you mean 'severity'?")
    }

    @Test func rejectsUnknownKeyWithoutNearMatchListingTheExpected() {
        let text = Self.policy("    resources: { types: [\"aws:*\"], filter: x }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:6:36: unknown key 'filter' in 'resources' of policy 'p'; expected one of: types, where")
    }

    @Test func rejectsTwoOperatorsInOneLeaf() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: acl, equals: private, in: [a] }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:7:45: found two operators 'equals' and 'in' in one condition on 'acl'; expected exactly one (combine conditions with all/any)")
    }

    @Test func rejectsLeafWithoutOperator() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: acl }")
        #expect(RuleHarness.rejection(text)?.hasPrefix("rules.yaml:7:15: condition on 'acl' has no operator; expected exactly one of: exists, equals, notEquals,") == true)
    }

    @Test func rejectsBadRegularExpression() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: name, matches: \"^(unclosed\" }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:7:38: bad regular expression '^(unclosed' in 'matches': expected an ICU regular expression")
    }

    @Test func rejectsBadTypeGlob() {
        let text = Self.policy("    resources: { types: [\"s3 bucket\"] }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:6:26: bad type glob 's3 bucket' in 'types' of policy 'p': expected a type token such as 'aws:s3/bucketV2:BucketV2' or a glob such as 'aws:s3/*'")
    }

    @Test func rejectsOperandOfTheWrongType() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: size, greaterThan: big }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:7:42: operand of 'greaterThan': found the string 'big', expected a number")
        let list = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: size, in: 3 }")
        #expect(RuleHarness.rejection(list) == "rules.yaml:7:33: operand of 'in': found the number 3, expected a list")
        let flag = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: size, exists: yes }")
        #expect(RuleHarness.rejection(flag) == "rules.yaml:7:37: operand of 'exists': found the string 'yes', expected true or false")
    }

    @Test func rejectsUndeclaredConfigKey() {
        let text = Self.policy("    config: { allowed: { type: array, default: [] } }\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, in: { config: alowed } }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:8:40: config key 'alowed' is not declared in the policy's config; expected one of: allowed — did you mean 'allowed'?")
    }

    @Test func rejectsConfigKeyOfTheWrongType() {
        let text = Self.policy("    config: { limit: { type: string, default: x } }\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, lessThan: { config: limit } }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:8:46: operand of 'lessThan': config key 'limit' has type string, expected a number")
    }

    @Test func rejectsDefaultThatDoesNotFitTheSchema() {
        let text = Self.policy("    config: { limit: { type: integer, default: 2.5 } }\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:6:48: 'default' of config 'limit': expected a value of type integer, found 2.5")
    }

    @Test func rejectsDuplicatePolicyName() {
        let text = RuleHarness.ruleFile("""
          - { name: p, description: d, resources: { types: ["aws:*"] }, validate: { path: a, exists: true } }
          - { name: p, description: d, resources: { types: ["aws:*"] }, validate: { path: a, exists: true } }
        """)
        #expect(RuleHarness.rejection(text)?.hasSuffix("rules.yaml:5:13: duplicate policy name 'p' (first defined at rules.yaml:4:13); expected names unique in the pack") == true)
        #expect(RuleHarness.rejection(text)?.hasPrefix("rules.yaml:5:13: duplicate policy name 'p' (first defined at ") == true)
    }

    @Test func rejectsBadSeverityAndLevel() {
        let severity = Self.policy("    severity: urgent\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(severity) == "rules.yaml:6:15: 'severity' of policy 'p': found 'urgent', expected one of low, medium, high, critical")
        let level = Self.policy("    enforcementLevel: mandatry\n    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(level) == "rules.yaml:6:23: 'enforcementLevel' of policy 'p': found 'mandatry', expected one of advisory, mandatory, remediate, disabled — did you mean 'mandatory'?")
    }

    @Test func rejectsBadPackName() {
        let text = "name: my pack\nversion: 1.0.0\npolicies: []\n"
        #expect(RuleHarness.rejection(text) == "rules.yaml:1:7: invalid pack name 'my pack': expected 1–100 characters from a-z, A-Z, 0-9, '-', '_', '.'")
    }

    @Test func rejectsUnknownTemplateVariable() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }\n    message: \"{{ nme }} is bad\"")
        #expect(RuleHarness.rejection(text) == "rules.yaml:8:14: unknown template variable '{{ nme }}' in 'message' — did you mean 'name'?; expected one of: name, type, urn, id, stack, props.<path>, config.<key>")
    }

    @Test func rejectsResourceVariablesInStackTemplates() {
        let text = Self.policy("    stack: { require: { types: [\"aws:*\"] } }\n    message: \"{{ name }}\"")
        #expect(RuleHarness.rejection(text)?.contains("unknown template variable '{{ name }}'") == true)
    }

    @Test func rejectsInvalidPathsAndReferences() {
        let path = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: a..b, exists: true }")
        #expect(RuleHarness.rejection(path) == "rules.yaml:7:23: invalid path 'a..b': empty key at character 3; expected key names separated by '.', [n], [*], .* or [\"key\"]")
        let reference = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: $typ, exists: true }")
        #expect(RuleHarness.rejection(reference) == "rules.yaml:7:23: invalid path '$typ': unknown reference '$typ' — did you mean '$type'?")
    }

    @Test func rejectsMatchWithoutWildcardAndIgnoreCaseOnNumbers() {
        let match = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: a, equals: 1, match: any }")
        #expect(RuleHarness.rejection(match) == "rules.yaml:7:37: 'match' needs a wildcard path ([*] or .*); found the path 'a'")
        let fold = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: a, lessThan: 1, ignoreCase: true }")
        #expect(RuleHarness.rejection(fold)?.hasPrefix("rules.yaml:7:39: 'ignoreCase' has no effect on 'lessThan'") == true)
    }

    @Test func rejectsCombinatorBesideOtherKeys() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { all: [{ path: a, exists: true }], path: b }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:7:51: found 'path' beside 'all' in one condition; expected 'all' alone (put other conditions inside it)")
    }

    @Test func rejectsPolicyWithoutResourcesOrStack() {
        let text = Self.policy("    validate: { path: a, exists: true }")
        #expect(RuleHarness.rejection(text) == "rules.yaml:4:5: policy 'p' has neither 'resources' nor 'stack'; expected one of them (a resource or a stack policy)")
    }

    @Test func rejectsDuplicateYAMLKeys() {
        let text = Self.policy("    resources: { types: [\"aws:*\"] }\n    validate: { path: a, exists: true }\n    description: again")
        #expect(RuleHarness.rejection(text) == "rules.yaml:5:5: duplicate key 'description' in a mapping; expected each key once")
    }

    @Test func rejectsAliasBombs() {
        var text = "name: bomb\nversion: 1.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "policies: []\n"
        let message = RuleHarness.rejection(text)
        #expect(message?.contains("document expands to more than 100000 nodes") == true)
        #expect(message?.hasPrefix("rules.yaml:") == true)
    }

    @Test func rejectsDeepNestingBeforeParsing() {
        let text = "name: deep\nversion: 1.0.0\nx: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\npolicies: []\n"
        #expect(RuleHarness.rejection(text) == "rules.yaml:3:260: nesting deeper than 256 levels; expected at most 256")
    }

    @Test func rejectsDocumentsOverTheSizeBudget() throws {
        let dir = ScratchDirectory()
        let file = dir.write("big.yaml", "name: big\nversion: 1.0.0\npolicies: []\n# " + String(repeating: "x", count: 2000) + "\n")
        #expect(throws: RulesError.tooLarge(file: file, bytes: 2041, limit: 1024)) {
            try RulePackLoader(maxBytes: 1024, maxNodes: 100).load(at: file)
        }
    }

    @Test func rejectsSyntaxErrorsWithLocation() {
        #expect(RuleHarness.rejection("name: x\nversion: [1\n") == "rules.yaml:3:1: invalid YAML: while parsing a flow sequence (started at 2:10): did not find expected ',' or ']'")
    }
}

/// Pack directories: includes and their escape checks.
@Suite struct PackDirectoryTests {
    static let policy = "policies:\n  - { name: p, description: d, resources: { types: [\"aws:*\"] }, validate: { path: a, exists: true } }\n"

    @Test func loadsIncludedFilesInOrder() throws {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: pk\nversion: 2.0.0\nenforcementLevel: mandatory\ninclude: [\"policies/**/*.yaml\"]\n")
        dir.write("policies/b.yaml", Self.policy.replacingOccurrences(of: "name: p", with: "name: b"))
        dir.write("policies/nested/a.yaml", Self.policy.replacingOccurrences(of: "name: p", with: "name: a"))
        let loaded = try RulePackLoader().load(at: dir.path)
        #expect(loaded.pack.name == "pk")
        #expect(loaded.pack.version == "2.0.0")
        #expect(loaded.pack.enforcementLevel == .mandatory)
        #expect(loaded.pack.policies.map(\.descriptor.name) == ["b", "a"])
    }

    @Test func rejectsIncludeThatLeavesThePack() {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: pk\nversion: 1.0.0\ninclude: [\"../other/*.yaml\"]\n")
        #expect(throws: RulesError.invalid(file: dir.path + "/pack.yaml", line: 3, column: 11,
                                           message: "include '../other/*.yaml' leaves the pack directory; expected a glob relative to the pack, such as policies/*.yaml")) {
            try RulePackLoader().load(at: dir.path)
        }
    }

    @Test func rejectsSymlinkThatLeavesThePack() throws {
        let outside = ScratchDirectory()
        let target = outside.write("evil.yaml", Self.policy)
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: pk\nversion: 1.0.0\ninclude: [\"policies/*.yaml\"]\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/policies", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/policies/evil.yaml", withDestinationPath: target)
        do {
            _ = try RulePackLoader().load(at: dir.path)
            Issue.record("expected a rejection")
        } catch {
            #expect(error.message.hasPrefix("include 'policies/*.yaml' leaves the pack directory: 'policies/evil.yaml' resolves to "))
        }
    }

    @Test func rejectsIncludeMatchingNothing() {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: pk\nversion: 1.0.0\ninclude: [\"rules/*.yaml\"]\n")
        #expect(throws: RulesError.invalid(file: dir.path + "/pack.yaml", line: 3, column: 11,
                                           message: "include 'rules/*.yaml' matches no file in the pack; expected a glob matching policy files")) {
            try RulePackLoader().load(at: dir.path)
        }
    }

    @Test func rejectsDuplicateNamesAcrossFiles() {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: pk\nversion: 1.0.0\ninclude: [\"policies/*.yaml\"]\n" + Self.policy)
        dir.write("policies/a.yaml", Self.policy)
        do {
            _ = try RulePackLoader().load(at: dir.path)
            Issue.record("expected a rejection")
        } catch {
            #expect(error.message.hasPrefix("duplicate policy name 'p' (first defined at \(dir.path)/pack.yaml:5:"))
            #expect(error.file.hasSuffix("policies/a.yaml"))
        }
    }
}
