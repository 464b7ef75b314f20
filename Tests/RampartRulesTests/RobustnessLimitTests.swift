import Foundation
import Testing
@testable import RampartRules

/// The rule loader's and evaluator's bounds on hostile packs (docs/robustness.md).
@Suite struct RobustnessLimitTests {
    static let policy = """
          - name: p
            description: d
            resources: { types: ["t:m:R"] }
            validate: { path: v, matches: "PATTERN" }

        """

    @Test(arguments: ["(a+)+", "^(a+)+$", "(a*)*", "(?:\\\\s*,)+", "(x*y?)*z", "((ab)+c)*", "(a{2,})+", "([a-z]+\\\\.)+com"])
    func rejectsNestedUnboundedRepetition(_ pattern: String) {
        let message = RuleHarness.rejection(RuleHarness.ruleFile(Self.policy.replacingOccurrences(of: "PATTERN", with: pattern)))
        #expect(message?.contains("repeats a group that itself repeats") == true, "\(message ?? "accepted")")
    }

    @Test(arguments: ["^[a-z0-9-]+$", "(ab)+", "(\\\\d+\\\\.){3}\\\\d+", "[(a+)+]", "\\\\(a+\\\\)+", "\\\\Q(a+)+\\\\E", "^arn:aws:[a-z]*:.*$", "(a|b)*c"])
    func acceptsPatternsWithoutNestedRepetition(_ pattern: String) {
        #expect(RegexComplexity.nestedRepetition(in: pattern.replacingOccurrences(of: "\\\\", with: "\\")) == nil)
    }

    @Test func everyShippedPackPatternPassesTheComplexityCheck() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let packs = root.appendingPathComponent("PolicyPacks").path
        let enumerator = try #require(FileManager.default.enumerator(atPath: packs))
        var checked = 0
        while let relative = enumerator.nextObject() as? String {
            if (relative as NSString).lastPathComponent == "pack.yaml" {
                _ = try RulePackLoader().load(at: (packs as NSString).appendingPathComponent((relative as NSString).deletingLastPathComponent))
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test func stopsAMatchThatRunsPastItsBudgetAndSaysSo() throws {
        // Polynomial backtracking the load-time check lets through: stopped by the budget, not run to completion.
        let regex = CompiledRegex(regex: try NSRegularExpression(pattern: "x.*y.*z"), pattern: "x.*y.*z")
        #expect(regex.matches(String(repeating: "xy", count: 20_000), budget: 20_000_000) == nil)
        #expect(regex.matches("x-y-z") == true)
        #expect(regex.matches("xyxy") == false)
    }

    @Test func rejectsARuleFileOverTheSizeBudgetWithItsSize() {
        let dir = ScratchDirectory()
        let file = dir.write("big.yaml", "# " + String(repeating: "x", count: 4096))
        do {
            _ = try RulePackLoader(maxBytes: 1024, maxNodes: 100_000).load(at: file)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("larger than the limit of 1024 bytes"))
        }
    }

    @Test func includeGlobWithManyDoubleStarsMatchesInLinearTime() {
        let pattern = Array(repeating: "**", count: 200).joined(separator: "/") + "/x.yaml"
        let path = Array(repeating: "d", count: 200).joined(separator: "/") + "/x.yaml"
        #expect(IncludeGlob.matches(pattern, path))
        #expect(!IncludeGlob.matches(pattern + "/y", path))
        #expect(IncludeGlob.matches("policies/**/*.yaml", "policies/a/b/c.yaml"))
        #expect(IncludeGlob.matches("policies/**/*.yaml", "policies/c.yaml"))
        #expect(!IncludeGlob.matches("policies/*.yaml", "policies/.hidden.yaml"))
    }

    @Test func includeMatchingMoreFilesThanTheCapIsRejected() {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: many\nversion: 1.0.0\ninclude: ['policies/*.yaml']\n")
        for i in 0..<5 { dir.write("policies/p\(i).yaml", "policies: []\n") }
        var loader = RulePackLoader()
        loader.maxIncludedFiles = 3
        #expect(throws: RulesError.self) { try loader.load(at: dir.path) }
        do { _ = try loader.load(at: dir.path) } catch {
            #expect(error.description.contains("matches 5 files, more than the limit of 3"))
        }
    }

    @Test func packDirectoryWithMoreFilesThanTheWalkCapIsRejected() {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: many\nversion: 1.0.0\ninclude: ['policies/*.yaml']\n")
        for i in 0..<20 { dir.write("junk/f\(i)", "") }
        dir.write("policies/p.yaml", "policies: []\n")
        var loader = RulePackLoader()
        loader.maxWalkedFiles = 10
        do { _ = try loader.load(at: dir.path); Issue.record("accepted") } catch {
            #expect(error.description.contains("holds more than 10 files"))
        }
    }

    @Test func symlinkLoopInsideAPackDoesNotHangTheIncludeWalk() throws {
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: loop\nversion: 1.0.0\ninclude: ['**/*.yaml']\n")
        dir.write("policies/p.yaml", RuleHarness.ruleFile("").replacingOccurrences(of: "name: test-pack\nversion: 1.0.0\n", with: "") + "  []\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/policies/loop", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/policies/self", withDestinationPath: ".")
        let loaded = try RulePackLoader().load(at: dir.path)
        #expect(loaded.files.count == 2)
    }

    @Test func symlinkedFileLeavingThePackIsRejected() throws {
        let outside = ScratchDirectory()
        let target = outside.write("secret.yaml", "policies: []\n")
        let dir = ScratchDirectory()
        dir.write("pack.yaml", "name: escape\nversion: 1.0.0\ninclude: ['policies/*.yaml']\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/policies", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/policies/x.yaml", withDestinationPath: target)
        do { _ = try RulePackLoader().load(at: dir.path); Issue.record("accepted") } catch {
            #expect(error.description.contains("leaves the pack directory"))
        }
    }
}
