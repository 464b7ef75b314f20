import Foundation
import RampartModel
import RampartPolicy

/// The rule-language documents of a pack's tests (docs/rules.md, "Testing a pack"): `expected.yaml` and compact `resources.yaml`
/// inputs. The runner that evaluates them lives in the facade (`PackTestRunner`), which also reads Pulumi inputs.
public enum PackTestDocuments {
    /// The expectations of `expected.yaml`: subject (resource name or URN) and expected outcome, in file order
    /// (`pass`, `fail`, `indeterminate`, `notApplicable`, `error`).
    public static func expectedOutcomes(in file: String) throws(RulesError) -> [(subject: String, outcome: OutcomeKind)] {
        try ExpectedOutcomes.read(file).entries.map { (subject: $0.0, outcome: $0.1) }
    }

    /// A compact resource list (`resources.yaml`) as a stack.
    public static func resourceList(in file: String) throws(RulesError) -> Stack {
        guard let root = try YAMLDocumentReader().read(file: file) else {
            throw .invalid(file: file, line: 1, column: 1, message: "found an empty document, expected a resource list")
        }
        return try ResourceListReader(file: file).read(root)
    }
}

/// `expected.yaml`: `pass`, `fail`, `indeterminate`, `notApplicable` lists of resource names or URNs.
struct ExpectedOutcomes {
    static let keys: [(String, OutcomeKind)] = [("pass", .pass), ("fail", .violation), ("indeterminate", .indeterminate),
                                                ("notApplicable", .notApplicable), ("error", .error)]
    var entries: [(String, OutcomeKind)]

    static func read(_ file: String) throws(RulesError) -> ExpectedOutcomes {
        let doc = DocumentChecker(file: file)
        guard let root = try YAMLDocumentReader().read(file: file) else {
            throw .invalid(file: file, line: 1, column: 1, message: "found an empty document, expected pass/fail/indeterminate/notApplicable lists")
        }
        let m = try doc.mapping(root, "expected.yaml")
        try doc.checkKeys(m, allowed: keys.map(\.0), in: "expected.yaml")
        var entries: [(String, OutcomeKind)] = []
        var seen: [String: YAMLNode] = [:]
        for (key, kind) in keys {
            guard let node = m[key] else { continue }
            if let items = node.sequence, items.isEmpty { continue }
            for (name, item) in try doc.strings(node, "'\(key)'") {
                if let first = seen[name] {
                    throw doc.fail(item, "'\(name)' is listed twice (first at \(first.line):\(first.column)); expected each resource under one outcome")
                }
                seen[name] = item
                entries.append((name, kind))
            }
        }
        return ExpectedOutcomes(entries: entries)
    }
}
