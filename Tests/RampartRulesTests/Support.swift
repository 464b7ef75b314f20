import Foundation
import RampartModel
import RampartPolicy
@testable import RampartRules

/// A scratch directory for one test, removed when the value is released.
final class ScratchDirectory {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("rampart-rules-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = (path as NSString).appendingPathComponent(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }
}

enum RuleHarness {
    /// A single rule file holding `policies` (YAML list entries, already indented as list items).
    static func ruleFile(_ policies: String) -> String {
        "name: test-pack\nversion: 1.0.0\npolicies:\n" + policies
    }

    /// Loads a rule file from text.
    static func load(_ text: String, name: String = "rules.yaml") throws(RulesError) -> LoadedRulePack {
        let dir = ScratchDirectory()
        let file = dir.write(name, text)
        return try withExtendedLifetime(dir) { () throws(RulesError) -> LoadedRulePack in try RulePackLoader().load(at: file) }
    }

    /// The error a rule file is rejected with, as the CLI prints it but with the file name only.
    static func rejection(_ text: String) -> String? {
        let dir = ScratchDirectory()
        let file = dir.write("rules.yaml", text)
        do {
            _ = try RulePackLoader().load(at: file)
            return nil
        } catch {
            return error.description.replacingOccurrences(of: dir.path + "/", with: "")
        }
    }

    /// Reads a compact resource list.
    static func stack(_ resources: String) throws -> Stack {
        let root = try YAMLDocumentReader().read(bytes: Array(resources.utf8), file: "resources.yaml")!
        return try ResourceListReader(file: "resources.yaml").read(root)
    }

    /// Evaluates the first policy of `rules` over `resources`: resource name → outcome (stack-level under "$stack").
    static func outcomes(_ rules: String, _ resources: String, config: PolicyConfig? = nil) throws -> [String: Outcome] {
        let pack = try load(rules).pack
        let stack = try stack(resources)
        let policy = pack.policies[0]
        let effective = config ?? policy.descriptor.configSchema.defaults
        var out: [String: Outcome] = [:]
        if let p = policy as? any ResourcePolicy {
            for i in stack.graph.resources.indices where p.types.matches(stack.graph.resources[i].type) {
                out[stack.graph.resources[i].name] = try p.evaluate(ResourceContext(stack: stack, index: i), config: effective)
            }
        } else if let p = policy as? any StackPolicy {
            for entry in try p.evaluate(StackContext(stack: stack), config: effective).entries {
                out[entry.resourceIndex.map { stack.graph.resources[$0].name } ?? "$stack"] = entry.outcome
            }
        }
        return out
    }

    /// A resource policy over `test:index:Thing` with the given `validate` condition (inline YAML flow or block).
    static func policy(validate: String, extra: String = "") -> String {
        ruleFile("""
          - name: p
            description: test policy
            resources: { types: ["test:index:*"] }
        \(extra.isEmpty ? "" : extra + "\n")    validate: \(validate)

        """)
    }

    static func kinds(_ outcomes: [String: Outcome]) -> [String: OutcomeKind] { outcomes.mapValues(\.kind) }
}
