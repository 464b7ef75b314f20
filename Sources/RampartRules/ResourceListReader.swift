import RampartJSON
import RampartModel
import RampartPolicy

/// Reads the compact `resources.yaml` fixture format (docs/rules.md, "Testing a pack") into a stack:
///
/// ```yaml
/// stack: acme/web/prod          # optional, default organization/fixtures/test
/// kind: state                   # or preview: the default property set is then the inputs
/// resources:
///   - type: aws:s3/bucketV2:BucketV2
///     name: logs
///     id: logs-1234             # optional, default: the name
///     props: { bucket: logs-1234, tags: { env: prod } }
///     inputs: {...}             # optional, default: props
///     outputs: {...}            # optional, default: props
///     parent: other-name        # name or URN of another listed resource
///     provider: aws-provider    # name or URN of a listed provider resource
///     dependencies: [a, b]
///     propertyDependencies: { bucket: [a] }
///     protect: false
///     custom: true
/// ```
///
/// Values may be tagged `!secret` (a decrypted secret holding the value), `!encrypted` (an encrypted secret) or
/// `!unknown` (the preview's unknown value).
struct ResourceListReader {
    static let topKeys = ["stack", "kind", "resources"]
    static let resourceKeys = ["type", "name", "id", "props", "inputs", "outputs", "parent", "provider", "dependencies",
                               "propertyDependencies", "protect", "custom"]

    let file: String

    func read(_ root: YAMLNode) throws(RulesError) -> Stack {
        let doc = DocumentChecker(file: file)
        var identity = StackIdentity(organization: "organization", project: "fixtures", stack: "test")
        var preview = false
        let list: YAMLNode
        if root.sequence != nil {
            list = root
        } else {
            let m = try doc.mapping(root, "a resource list")
            try doc.checkKeys(m, allowed: Self.topKeys, in: "a resource list")
            if let s = m["stack"] {
                let text = try doc.string(s, "'stack'")
                guard let parsed = StackIdentity(parsing: text) else { throw doc.wrongType(s, "'stack'", expected: "ORG/PROJECT/STACK") }
                identity = StackIdentity(organization: parsed.organization ?? "organization", project: parsed.project ?? "fixtures", stack: parsed.stack)
            }
            if let k = m["kind"] {
                let kind = try doc.string(k, "'kind'")
                guard kind == "state" || kind == "preview" else { throw doc.fail(k, "'kind': found '\(kind)', expected state or preview") }
                preview = kind == "preview"
            }
            list = try doc.require(m, "resources", in: "a resource list", expected: "a list of resources")
        }
        guard let items = list.sequence else { throw doc.wrongType(list, "'resources'", expected: "a list of resources") }
        let project = identity.project ?? "fixtures"

        struct Draft { var m: KeyedMapping; var type: String; var name: String; var urn: String }
        var drafts: [Draft] = []
        var urnByName: [String: String] = [:]
        for item in items {
            let m = try doc.mapping(item, "a resource")
            try doc.checkKeys(m, allowed: Self.resourceKeys, in: "a resource")
            let type = try doc.string(try doc.require(m, "type", in: "a resource", expected: "its type token"), "'type'")
            let name = try doc.scalarText(try doc.require(m, "name", in: "a resource", expected: "its name"), "'name'")
            let urn = "urn:pulumi:\(identity.stack)::\(project)::\(type)::\(name)"
            if urnByName[name] != nil { throw doc.fail(m["name"]!, "duplicate resource name '\(name)'; expected names unique in a resource list") }
            urnByName[name] = urn
            drafts.append(Draft(m: m, type: type, name: name, urn: urn))
        }
        func link(_ node: YAMLNode) throws(RulesError) -> String {
            let text = try doc.scalarText(node, "a resource reference")
            if text.hasPrefix("urn:pulumi:") { return text }
            guard let urn = urnByName[text] else {
                throw doc.fail(node, "no resource named '\(text)' in this list; expected the name of a listed resource")
            }
            return urn
        }
        var resources: [Resource] = []
        for d in drafts {
            guard let urn = URN(d.urn) else { throw doc.fail(d.m.node, "resource '\(d.name)' does not form a valid URN") }
            var r = Resource(urn: urn, type: d.type, custom: try d.m["custom"].map { (n) throws(RulesError) in try doc.bool(n, "'custom'") } ?? true)
            if let idNode = d.m["id"], idNode.tag == "!unknown" {
                r.id = PulumiSignature.unknown
            } else {
                r.id = try d.m["id"].map { (n) throws(RulesError) in try doc.scalarText(n, "'id'") } ?? (r.custom ? d.name : nil)
            }
            r.protect = try d.m["protect"].map { (n) throws(RulesError) in try doc.bool(n, "'protect'") } ?? false
            let props = try d.m["props"].map { (n) throws(RulesError) in try property(n, doc) }
            r.inputs = try d.m["inputs"].map { (n) throws(RulesError) in try property(n, doc) } ?? props
            r.outputs = preview ? try d.m["outputs"].map { (n) throws(RulesError) in try property(n, doc) }
                                : try d.m["outputs"].map { (n) throws(RulesError) in try property(n, doc) } ?? props
            if r.inputs == nil { r.inputs = try? PropertyValue.parse(json: "{}") }
            if let p = d.m["parent"] { r.parent = try link(p) }
            if let p = d.m["provider"] { r.provider = ProviderReference(try link(p) + "::fixture-provider-id") }
            if let deps = d.m["dependencies"] {
                guard let list = deps.sequence else { throw doc.wrongType(deps, "'dependencies'", expected: "a list of resource names") }
                for n in list { r.dependencies.append(try link(n)) }
            }
            if let pd = d.m["propertyDependencies"] {
                let pm = try doc.mapping(pd, "'propertyDependencies'")
                for e in pm.entries.sorted(by: { $0.key < $1.key }) {
                    guard let list = e.value.sequence else { throw doc.wrongType(e.value, "'propertyDependencies.\(e.key)'", expected: "a list of resource names") }
                    var urns: [String] = []
                    for n in list { urns.append(try link(n)) }
                    r.propertyDependencies.append((e.key, urns))
                }
            }
            resources.append(r)
        }
        return Stack(identity: identity, source: file, kind: .resourceList, propertySource: preview ? .inputs : .outputs,
                     graph: ResourceGraph(resources: resources))
    }

    /// Converts a YAML value to a Pulumi property value through JSON, honouring `!secret`, `!encrypted`, `!unknown`.
    private func property(_ node: YAMLNode, _ doc: DocumentChecker) throws(RulesError) -> PropertyValue {
        var writer = JSONWriter()
        try write(node, &writer, doc)
        do { return try PropertyValue.parse(json: writer.string) } catch {
            throw doc.fail(node, "could not convert the value to JSON: \(error.reasonDescription)")
        }
    }

    private func write(_ node: YAMLNode, _ w: inout JSONWriter, _ doc: DocumentChecker) throws(RulesError) {
        switch node.tag {
        case nil: break
        case "!secret":
            var inner = node; inner.tag = nil
            var plain = JSONWriter()
            try write(inner, &plain, doc)
            w.beginObject(); w.key(PulumiSignature.key); w.string(PulumiSignature.secret); w.key("plaintext"); w.string(plain.string); w.endObject()
            return
        case "!encrypted":
            w.beginObject(); w.key(PulumiSignature.key); w.string(PulumiSignature.secret); w.key("ciphertext"); w.string("v1:fixture"); w.endObject()
            return
        case "!unknown":
            w.string(PulumiSignature.unknown)
            return
        case let other?:
            throw doc.fail(node, "unknown tag '\(other)'; expected !secret, !encrypted or !unknown")
        }
        switch node.content {
        case .scalar:
            switch node.scalarValue {
            case .null?, nil: w.null()
            case .bool(let b)?: w.bool(b)
            case .number(let n)?:
                guard n.isFinite else { throw doc.fail(node, "found \(node.scalarText), expected a finite number") }
                if n == n.rounded(), abs(n) < 1e15 { w.number(Int(n)) } else { w.number(n) }
            case .string(let s)?: w.string(s)
            }
        case .sequence(let items):
            w.beginArray()
            for item in items { try write(item, &w, doc) }
            w.endArray()
        case .mapping:
            let m = try doc.mapping(node, "a property object")
            w.beginObject()
            for e in m.entries { w.key(e.key); try write(e.value, &w, doc) }
            w.endObject()
        }
    }
}
