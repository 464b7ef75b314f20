import Foundation
import RampartInputs
import RampartModel
import RampartPolicy
import RampartRules

/// One expectation of a pack test: a resource (or stack) of one input, the outcome expected and the one found.
public struct PackTestCase: Sendable, Hashable {
    public var policy: String
    /// The input file, relative to the pack directory.
    public var input: String
    /// The resource name or URN as written in expected.yaml.
    public var subject: String
    public var expected: OutcomeKind
    /// nil when no evaluated resource matched the subject.
    public var actual: OutcomeKind?
    /// The outcome's reason or message (never a secret value: messages render secrets as `[secret]`).
    public var reason: String?

    public var passed: Bool { actual == expected }
}

/// The result of running a pack's tests.
public struct PackTestReport: Sendable {
    public var pack: String
    public var directory: String
    public var cases: [PackTestCase]
    public var mismatches: [PackTestCase] { cases.filter { !$0.passed } }

    /// One line per mismatch and a summary, for the CLI.
    public var text: String {
        var lines: [String] = []
        for c in mismatches {
            let actual = c.actual?.rawValue ?? "no such resource"
            lines.append("MISMATCH \(pack)/\(c.policy) \(c.subject) [\(c.input)]: expected \(c.expected.rawValue), got \(actual)"
                + (c.reason.map { " — \($0)" } ?? ""))
        }
        let policies = Set(cases.map(\.policy)).count
        lines.append("\(pack): \(cases.count) case(s) across \(policies) policy test(s), \(mismatches.count) mismatch(es)")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Runs a pack's `tests/<policy>/` folders (docs/rules.md, "Testing a pack"). It lives in the facade, not in RampartRules, because
/// it reads Pulumi inputs (state exports, previews) besides the rule language's own documents: each folder's inputs (state export, preview JSON or a
/// compact resources.yaml) are evaluated with the policy at its default config, and the outcomes are compared with
/// expected.yaml.
public struct PackTestRunner: Sendable {
    public init() {}

    public func run(packAt path: String) throws(RulesError) -> PackTestReport {
        let loaded = try RulePackLoader().load(at: path)
        let testsDirectory = (loaded.directory as NSString).appendingPathComponent("tests")
        var cases: [PackTestCase] = []
        for folder in Self.entries(testsDirectory).filter({ Self.isDirectory((testsDirectory as NSString).appendingPathComponent($0)) }) {
            let folderPath = (testsDirectory as NSString).appendingPathComponent(folder)
            guard let policy = loaded.pack.policy(named: folder) else {
                let names = loaded.pack.policies.map(\.descriptor.name)
                throw .invalid(file: folderPath, line: 1, column: 1,
                               message: "test folder for an unknown policy '\(folder)'\(Suggestion.hint(for: folder, in: names)); expected a folder named after a policy of pack '\(loaded.pack.name)'")
            }
            cases += try runFolder(folderPath, policy: policy, packDirectory: loaded.directory)
        }
        return PackTestReport(pack: loaded.pack.name, directory: loaded.directory, cases: cases)
    }

    private func runFolder(_ folder: String, policy: any Policy, packDirectory: String) throws(RulesError) -> [PackTestCase] {
        let expectedFile = (folder as NSString).appendingPathComponent("expected.yaml")
        guard FileManager.default.fileExists(atPath: expectedFile) else {
            throw .unreadable(file: expectedFile, reason: "a test folder must hold expected.yaml")
        }
        let expectations = try PackTestDocuments.expectedOutcomes(in: expectedFile)
        let inputs = Self.entries(folder).filter { $0 != "expected.yaml" && !$0.hasPrefix(".") }
            .map { (folder as NSString).appendingPathComponent($0) }.filter { !Self.isDirectory($0) }
        guard !inputs.isEmpty else { throw .unreadable(file: folder, reason: "a test folder must hold at least one input besides expected.yaml") }
        var outcomes: [(subject: Subject, outcome: Outcome)] = []
        var names: [String] = []
        for input in inputs {
            let stack = try read(input)
            let relative = String(input.dropFirst(packDirectory.count + 1))
            names.append(relative)
            outcomes += evaluate(policy, stack).map { (Subject(input: relative, name: $0.0.name, urn: $0.0.urn), $0.1) }
        }
        var cases: [PackTestCase] = []
        for (subject, expected) in expectations {
            let found = outcomes.filter { $0.subject.name == subject || $0.subject.urn == subject }
            if found.isEmpty {
                cases.append(PackTestCase(policy: policy.descriptor.name, input: names.joined(separator: ", "), subject: subject,
                                          expected: expected, actual: nil, reason: "no resource or stack named '\(subject)' in the inputs"))
            }
            for f in found {
                cases.append(PackTestCase(policy: policy.descriptor.name, input: f.subject.input, subject: subject,
                                          expected: expected, actual: f.outcome.kind, reason: Self.reason(f.outcome)))
            }
        }
        return cases
    }

    struct Subject { var input: String; var name: String; var urn: String }

    /// Evaluates one policy over one stack, at its default config. Resources the policy does not select are
    /// reported not-applicable so expected.yaml can say so.
    private func evaluate(_ policy: any Policy, _ stack: Stack) -> [((name: String, urn: String), Outcome)] {
        let config = policy.descriptor.configSchema.defaults
        var out: [((name: String, urn: String), Outcome)] = []
        let graph = stack.graph
        if let resourcePolicy = policy.asResourcePolicy {
            for index in graph.resources.indices {
                let r = graph.resources[index]
                let subject = (r.name, r.urn.rawValue)
                guard resourcePolicy.types.matches(r.type) else {
                    out.append((subject, .notApplicable("type \(r.type) is not selected by the policy"))); continue
                }
                do { out.append((subject, try resourcePolicy.evaluate(ResourceContext(stack: stack, index: index), config: config))) }
                catch { out.append((subject, .error(String(describing: error)))) }
            }
        } else if let stackPolicy = policy.asStackPolicy {
            let result: StackEvaluation
            do { result = try stackPolicy.evaluate(StackContext(stack: stack), config: config) }
            catch { result = .stackLevel(.error(String(describing: error))) }
            for entry in result.entries.isEmpty ? StackEvaluation.pass.entries : result.entries {
                if let i = entry.resourceIndex {
                    out.append(((graph.resources[i].name, graph.resources[i].urn.rawValue), entry.outcome))
                } else {
                    out.append(((stack.identity.description, stack.identity.fullyQualified), entry.outcome))
                }
            }
        }
        return out
    }

    private func read(_ input: String) throws(RulesError) -> Stack {
        if input.hasSuffix(".yaml") || input.hasSuffix(".yml") { return try PackTestDocuments.resourceList(in: input) }
        do { return try InputReader().read(InputSource(path: input)) } catch {
            throw .unreadable(file: input, reason: error.description)
        }
    }

    static func reason(_ outcome: Outcome) -> String? {
        switch outcome {
        case .pass: return nil
        case .violation(let v): return v.message
        case .notApplicable(let r), .indeterminate(let r), .error(let r): return r
        }
    }

    static func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }
}
