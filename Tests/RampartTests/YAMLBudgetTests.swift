import Foundation
import Rampart
import RampartInputs
import RampartRules
import RampartYAML
import Testing

/// Every YAML document Rampart reads — inputs (stack files, Pulumi.yaml, workflows), rule files and `rampart.yaml` —
/// goes through one reader with one budget: each caller rejects the same hostile documents with a located error.
@Suite struct YAMLBudgetTests {
    /// The three callers of `YAMLReader`, each reading `file` and returning its error's text (nil when accepted).
    enum Caller: String, CaseIterable, CustomTestStringConvertible {
        case stackFile, ruleFile, rampartConfig
        var testDescription: String { rawValue }

        func failure(_ file: String, budget: YAMLBudget = .standard) -> String? {
            do {
                switch self {
                case .stackFile:
                    _ = try StackConfigReader(loader: YAMLLoader(budget: budget)).read(file, projectName: "p")
                case .ruleFile:
                    _ = try RulePackLoader(maxBytes: budget.maxBytes, maxNodes: budget.maxNodes).load(at: file)
                case .rampartConfig:
                    _ = try RampartConfiguration.load(path: file, budget: budget)
                }
                return nil
            } catch {
                return String(describing: error)
            }
        }
    }

    static func write(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("Pulumi.dev.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    @Test(arguments: Caller.allCases) func aliasBombIsRejectedAtItsPosition(caller: Caller) throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let file = try Self.write(text)
        let message = try #require(caller.failure(file))
        #expect(message.hasPrefix("\(file):"))
        #expect(message.range(of: #"^[^:]+:\d+:\d+: document expands to more than 100000 nodes"#, options: .regularExpression) != nil)
    }

    @Test(arguments: Caller.allCases) func overDeepNestingIsRejectedAtItsPosition(caller: Caller) throws {
        let file = try Self.write("a: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n")
        #expect(caller.failure(file) == "\(file):1:260: nesting deeper than 256 levels; expected at most 256")
    }

    @Test(arguments: Caller.allCases) func overDeepBlockNestingIsRejected(caller: Caller) throws {
        // Block nesting through indentation: 300 levels of `- ` items.
        var text = ""
        for level in 0..<300 { text += String(repeating: " ", count: level * 2) + "-\n" }
        let file = try Self.write(text)
        let message = try #require(caller.failure(file))
        #expect(message.hasPrefix("\(file):"))
        #expect(message.contains("nesting deeper than 256 levels"))
    }

    @Test(arguments: Caller.allCases) func oversizedFileIsRejectedNamingTheFileAndLimit(caller: Caller) throws {
        let file = try Self.write("a: " + String(repeating: "x", count: 2000) + "\n")
        let message = try #require(caller.failure(file, budget: YAMLBudget(maxBytes: 1024)))
        #expect(message.hasPrefix("\(file): "))
        #expect(message.contains("larger than the limit of 1024 bytes"))
    }

    @Test func everyCallerUsesTheSameDefaultBudget() {
        #expect(YAMLLoader().budget == .standard)
        #expect(YAMLBudget.standard == YAMLBudget(maxBytes: 8 << 20, maxNodes: 100_000, maxDepth: 256))
    }
}
