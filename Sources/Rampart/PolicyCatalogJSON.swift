import RampartJSON
import RampartPolicy

extension PolicyCatalog {
    /// The catalogue as data (`rampart policies --format json`): every pack and policy with its level, severity,
    /// resource types, services, frameworks and the other tools' equivalent policies. Packs and policies are sorted by name, so
    /// the output is the same for the same packs.
    public func json() -> [UInt8] {
        var w = JSONWriter(style: .pretty(indent: 2))
        w.beginObject()
        w.key("packs"); w.beginArray()
        for pack in packs {
            w.beginObject()
            w.key("name"); w.string(pack.name)
            w.key("version"); w.string(pack.version)
            w.key("origin"); w.string(pack.origin)
            w.key("description"); w.string(pack.description)
            w.key("enforcementLevel"); w.string(pack.enforcementLevel.rawValue)
            w.key("policies"); w.beginArray()
            for policy in pack.policies.sorted(by: { $0.descriptor.name < $1.descriptor.name }) {
                write(policy, of: pack, to: &w)
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes + [0x0A]
    }

    private func write(_ policy: any Policy, of pack: PolicyPack, to w: inout JSONWriter) {
        let d = policy.descriptor
        w.beginObject()
        w.key("name"); w.string(d.name)
        w.key("description"); w.string(d.description)
        w.key("severity"); w.string(d.severity.rawValue)
        w.key("enforcementLevel"); w.string((d.enforcementLevel ?? pack.enforcementLevel).rawValue)
        if let resource = policy.asResourcePolicy {
            w.key("kind"); w.string("resource")
            w.key("resourceTypes"); w.beginArray()
            for type in resource.types.exact.sorted() + resource.types.globs { w.string(type) }
            w.endArray()
        } else {
            w.key("kind"); w.string("stack")
            w.key("resourceTypes"); w.beginArray(); w.endArray()
        }
        w.key("services"); w.beginArray()
        for service in PolicyServices.of(policy) { w.string(service) }
        w.endArray()
        w.key("frameworks"); w.beginArray()
        for framework in d.frameworks {
            w.beginObject()
            w.key("name"); w.string(framework.name)
            if let version = framework.version { w.key("version"); w.string(version) }
            if let control = framework.control { w.key("control"); w.string(control) }
            w.endObject()
        }
        w.endArray()
        w.key("equivalents"); w.beginArray()
        for equivalent in d.equivalents {
            w.beginObject()
            w.key("source"); w.string(equivalent.source.rawValue)
            w.key("policy"); w.string(equivalent.policy)
            w.endObject()
        }
        w.endArray()
        if let rationale = d.rationale { w.key("rationale"); w.string(rationale) }
        if let remediation = d.remediation { w.key("remediation"); w.string(remediation) }
        w.endObject()
    }
}
