import RampartModel
import RampartPolicy

/// Text for `rampart policies`: the list of packs and policies, and one policy explained. Built from the same
/// descriptors that feed the reports, so the documentation cannot drift from the code.
public struct PolicyCatalog: Sendable {
    public var packs: [PolicyPack]

    public init(packs: [PolicyPack]) { self.packs = packs.sorted { $0.name < $1.name } }

    /// Every pack with its policies: name, level, severity, description.
    public func listing() -> String {
        var out = ""
        for pack in packs {
            out += "\(pack.name) \(pack.version) (\(pack.origin), default level \(pack.enforcementLevel.rawValue))\n"
            if !pack.description.isEmpty { out += "  \(pack.description)\n" }
            let policies = pack.policies.sorted { $0.descriptor.name < $1.descriptor.name }
            let width = policies.map(\.descriptor.name.count).max() ?? 0
            for policy in policies {
                let d = policy.descriptor
                let level = (d.enforcementLevel ?? pack.enforcementLevel).rawValue
                out += "  " + pad(d.name, width) + "  " + pad(level, 9) + "  " + pad(d.severity.rawValue, 8) + "  " + d.description + "\n"
            }
            out += "\n"
        }
        out += "\(packs.count) pack(s), \(packs.reduce(0) { $0 + $1.policies.count }) policies. `rampart policies --explain NAME` for details.\n"
        return out
    }

    /// One policy, by `name` or `pack/name`: description, rationale, remediation, frameworks, config and examples.
    public func explain(_ reference: String) throws(RampartError) -> String {
        let (pack, policy) = try find(reference)
        let d = policy.descriptor
        var out = "\(pack.name)/\(d.name)\n  \(d.description)\n\n"
        if let resource = policy.asResourcePolicy {
            let types = resource.types.exact.sorted() + resource.types.globs
            out += "Kind:        resource policy, for \(types.joined(separator: ", "))\n"
        } else {
            out += "Kind:        stack policy (evaluated once over the whole stack)\n"
        }
        let level = d.enforcementLevel.map { "\($0.rawValue)" } ?? "\(pack.enforcementLevel.rawValue) (the pack's default)"
        out += "Level:       \(level)\nSeverity:    \(d.severity.rawValue)\n"
        if !d.frameworks.isEmpty {
            let refs = d.frameworks.map { [$0.name, $0.version, $0.control].compactMap { $0 }.joined(separator: " ") }
            out += "Frameworks:  \(refs.joined(separator: "; "))\n"
        }
        if let rationale = d.rationale { out += "\nRationale\n  \(rationale)\n" }
        if let remediation = d.remediation { out += "\nRemediation\n  \(remediation)\n" }
        out += "\nConfiguration\n"
        if d.configSchema.isEmpty {
            out += "  none (only enforcementLevel)\n"
        } else {
            for name in d.configSchema.properties.keys.sorted() {
                let p = d.configSchema.properties[name]!
                var facts = [p.type.name]
                if let value = p.defaultValue { facts.append("default \(value.rendered)") }
                if d.configSchema.required.contains(name) { facts.append("required") }
                if let allowed = p.allowed { facts.append("one of \(allowed.map(\.rendered).joined(separator: ", "))") }
                if let minimum = p.minimum { facts.append("min \(ConfigValue.number(minimum).rendered)") }
                if let maximum = p.maximum { facts.append("max \(ConfigValue.number(maximum).rendered)") }
                out += "  \(name) (\(facts.joined(separator: ", ")))" + (p.description.map { ": \($0)" } ?? "") + "\n"
            }
        }
        if !d.examples.isEmpty {
            out += "\nExamples\n"
            for example in d.examples {
                out += "  \(example.expectation.rawValue)" + (example.preview ? " (preview)" : "") + (example.note.map { " — \($0)" } ?? "") + "\n"
                let resources = example.resources.isEmpty
                    ? [ExampleResource("example", type: example.type, properties: example.properties)] : example.resources
                for resource in resources { out += "    \(resource.type) \(resource.name): \(resource.properties)\n" }
                if !example.config.values.isEmpty { out += "    with config \(ConfigValue.object(example.config.values).rendered)\n" }
            }
        }
        return out
    }

    private func find(_ reference: String) throws(RampartError) -> (PolicyPack, any Policy) {
        var candidates: [(PolicyPack, any Policy)] = []
        if let slash = reference.firstIndex(of: "/") {
            let packName = String(reference[..<slash]), name = String(reference[reference.index(after: slash)...])
            if let pack = packs.first(where: { $0.name == packName }), let policy = pack.policy(named: name) { candidates = [(pack, policy)] }
        } else {
            for pack in packs { if let policy = pack.policy(named: reference) { candidates.append((pack, policy)) } }
        }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            throw .usage("policy '\(reference)' is in several packs; name one of: " + candidates.map { "\($0.0.name)/\(reference)" }.joined(separator: ", "))
        }
        let all = packs.flatMap { pack in pack.policies.map { "\(pack.name)/\($0.descriptor.name)" } }
        let bare = packs.flatMap { $0.policies.map(\.descriptor.name) }
        let hint = Suggestion.hint(for: reference, in: reference.contains("/") ? all : bare)
        throw .usage("no policy '\(reference)' in the packs of this run (\(packs.map(\.name).joined(separator: ", ")))" + hint)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
