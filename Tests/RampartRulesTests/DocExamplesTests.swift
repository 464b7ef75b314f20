import Foundation
import Rampart
import Testing
@testable import RampartRules

/// Runs every example of docs/rules.md so the documentation cannot drift from the implementation.
@Suite struct DocExamplesTests {
    struct Example: Sendable, CustomStringConvertible {
        var title: String
        var policy: String
        var resources: String?
        var expected: String?
        var error: String?
        /// Rejection examples show the whole rule file, so positions match what the reader sees.
        var isWholeFile = false
        var description: String { title }
    }

    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/rules.md").path

    /// Fenced blocks tagged `yaml policy` (or `yaml rejected`) start an example; `yaml resources`, `yaml expected` and
    /// `text error` blocks that follow belong to it. The nearest `###` heading names it.
    static func examples() -> [Example] {
        guard let text = try? String(contentsOfFile: documentPath, encoding: .utf8) else { return [] }
        var examples: [Example] = []
        var title = ""
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            if line.hasPrefix("### ") { title = String(line.dropFirst(4)); continue }
            guard line.hasPrefix("```") else { continue }
            let info = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            var body: [String] = []
            while let next = lines.popFirst(), !next.hasPrefix("```") { body.append(next) }
            let content = body.joined(separator: "\n")
            switch info {
            case "yaml policy": examples.append(Example(title: title, policy: content))
            case "yaml rejected": examples.append(Example(title: title, policy: content, isWholeFile: true))
            case "yaml resources": examples[examples.count - 1].resources = content
            case "yaml expected": examples[examples.count - 1].expected = content
            case "text error": examples[examples.count - 1].error = content
            default: break
            }
        }
        return examples
    }

    static func ruleFile(_ policy: String) -> String {
        "name: docs-example\nversion: 1.0.0\npolicies:\n" + policy.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: examples())
    func exampleBehavesAsDocumented(_ example: Example) throws {
        let dir = ScratchDirectory()
        let file = dir.write("rules.yaml", example.isWholeFile ? example.policy + "\n" : Self.ruleFile(example.policy))
        if example.error != nil {
            #expect(example.resources == nil && example.expected == nil)
            do {
                _ = try RulePackLoader().load(at: file)
                Issue.record("documented as rejected, but it loaded")
            } catch {
                let position = error.location.line.map { "\($0):\(error.location.column ?? 1): " } ?? ""
                #expect(position + error.message == error.description.replacingOccurrences(of: file + ":", with: ""))
                #expect(position + error.message == example.error!.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return
        }
        let resources = try #require(example.resources, "example has no resources block")
        let expected = try #require(example.expected, "example has no expected block")
        let pack = try RulePackLoader().load(at: file)
        let name = try #require(pack.pack.policies.first?.descriptor.name)
        dir.write("tests/\(name)/resources.yaml", resources)
        dir.write("tests/\(name)/expected.yaml", expected)
        let report = try PackTestRunner().run(packAt: file)
        #expect(!report.cases.isEmpty)
        #expect(report.mismatches.isEmpty, "\(report.text)")
    }

    @Test func everyOperatorAndConstructHasAnExample() {
        let examples = Self.examples()
        #expect(examples.count >= 40)
        let policies = examples.filter { $0.error == nil }.map(\.policy).joined(separator: "\n")
        for word in ConditionChecker.operators + ConditionChecker.quantifiers + ConditionChecker.modifiers + ConditionChecker.combinators
            + ["related", "via: parent", "via: children", "via: dependencies", "via: dependents", "theirs:", "count:", "require:", "where:", "message:", "config:"] {
            #expect(policies.contains(word + (word.hasSuffix(":") ? "" : ":")) || policies.contains(word), "no example uses '\(word)'")
        }
        for op in ConditionChecker.operators {
            #expect(examples.contains { $0.title == "`\(op)`" }, "no example titled `\(op)`")
        }
    }
}
