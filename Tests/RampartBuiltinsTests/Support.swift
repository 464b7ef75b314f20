import Foundation
import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples").path

    static func evidence(_ directory: String, stack: String? = nil) throws -> Evidence {
        try ProjectDiscoverer().discover(directory, stack: stack)
    }

    static func stack(_ name: String, project: String = "shop", resources: [Resource] = [],
                      secretsProvider: SecretsProviderInfo? = nil) -> Stack {
        Stack(identity: StackIdentity(organization: nil, project: project, stack: name), source: "test", kind: .projectConfig,
              propertySource: .outputs, graph: ResourceGraph(resources: resources), secretsProvider: secretsProvider)
    }

    static func evaluate(_ policy: any StackPolicy, stack: Stack, evidence: Evidence, config: PolicyConfig? = nil) throws -> [Outcome] {
        try policy.evaluate(StackContext(stack: stack, evidence: evidence), config: config ?? policy.descriptor.configSchema.defaults)
            .entries.map(\.outcome)
    }

    /// `file:line:column` of each violation (file name only).
    static func locations(_ outcomes: [Outcome]) -> [String] {
        outcomes.compactMap { outcome in
            guard case .violation(let v) = outcome, let l = v.location else { return nil }
            return "\(l.file.split(separator: "/").last!):\(l.line ?? 0):\(l.column ?? 0)"
        }
    }

    static func messages(_ outcomes: [Outcome]) -> [String] {
        outcomes.compactMap { if case .violation(let v) = $0 { return v.message } else { return nil } }
    }

    static func temporaryProject(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-builtins-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }
}

/// Compares a pack's outcomes through a worker's memos (the engine's path: one `DocumentHandle` per evaluating task)
/// with its outcomes without them, over a small state and an order that revisits resources.
enum MemoCheck {
    /// A state export of `resources` (type, name, outputs as JSON text), read as a scan reads it.
    static func stack(_ resources: [(type: String, name: String, properties: String)], file: String) throws -> Stack {
        let items = resources.map { r in
            #"{"urn":"urn:pulumi:dev::p::\#(r.type)::\#(r.name)","custom":true,"id":"\#(r.name)","type":"\#(r.type)","outputs":"# + r.properties + "}"
        }
        let export = Array((#"{"version":3,"deployment":{"resources":["# + items.joined(separator: ",") + "]}}").utf8)
        return try InputReader().read(bytes: export, source: InputSource(path: file))
    }

    /// One line per (resource in `order`, policy of `pack` that applies): the outcome, or "threw".
    static func outcomes(_ pack: PolicyPack, _ stack: Stack, _ order: [Int], handle: DocumentHandle?) -> [String] {
        let policies = pack.policies.compactMap { $0 as? any ResourcePolicy }
        var result: [String] = []
        for index in order {
            let context = handle.map { ResourceContext(stack: stack, index: index, evidence: .none, handle: $0) }
                ?? ResourceContext(stack: stack, index: index)
            for policy in policies where policy.types.matches(context.type) {
                let outcome = (try? policy.evaluate(context, config: policy.descriptor.configSchema.defaults)).map { String(describing: $0) } ?? "threw"
                result.append("\(index) \(policy.descriptor.name): \(outcome)")
            }
        }
        return result
    }
}
