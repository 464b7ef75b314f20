import RampartModel
import RampartPolicy

/// Shorthand shared by the `builtin:azure`, `builtin:gcp` and `builtin:kubernetes` packs.
enum Baseline {
    /// A descriptor; every baseline policy takes the pack's level (advisory) unless a team raises it.
    static func descriptor(_ name: String, _ description: String, _ severity: Severity, rationale: String, remediation: String,
                           frameworks: [FrameworkReference], examples: [PolicyExample],
                           equivalents: [PolicyEquivalent] = [], schema: ConfigSchema = ConfigSchema()) -> PolicyDescriptor {
        PolicyDescriptor(name: name, description: description, severity: severity, rationale: rationale,
                         remediation: remediation, frameworks: frameworks, configSchema: schema, examples: examples,
                         equivalents: equivalents)
    }

    /// A single-resource example.
    static func ex(_ type: String, _ properties: String, _ expectation: PolicyExample.Expectation,
                   _ note: String? = nil, config: [String: ConfigValue] = [:]) -> PolicyExample {
        PolicyExample(type: type, properties: properties, expect: expectation, note: note, config: PolicyConfig(config))
    }

    /// A multi-resource example; the first resource is the subject of a resource policy.
    static func joined(_ expectation: PolicyExample.Expectation, _ note: String? = nil,
                       _ resources: ExampleResource...) -> PolicyExample {
        PolicyExample(resources: resources, expect: expectation, note: note)
    }

    /// The engine's marker for a preview unknown, quoted for use inside example JSON.
    static let unknown = "\"\(PulumiSignature.unknown)\""

    // MARK: - Joins

    /// Resources that point at a subject through one of their properties.
    struct Attachments {
        /// Candidates that reference the subject (by property dependency, else by a known value).
        var matched: [ResourceContext] = []
        /// Candidates whose reference is unknown (preview) and carries no property dependency: they might point
        /// at the subject, so "nothing attached" cannot be concluded while any exist.
        var unresolved: [ResourceContext] = []
    }

    /// The join `attachments(to:_:keys:)` follows: the resources of `types` whose `property` references a subject,
    /// compared case-insensitively (Azure ids differ in case between resources). Made once, in a constant: a query
    /// names its index in the stack's cache.
    static func attachmentQuery(_ types: TypeSelector, property: String) -> ReferenceIndex.Query {
        ReferenceIndex.Query(types: Array(types.exact).sorted() + types.globs, property: property, caseInsensitive: true)
    }

    /// The resources `query` (`attachmentQuery`) joins to `subject`. A property dependency decides first (it holds
    /// in previews where ids are unknown); failing that, the property's value is compared with `keys` (the subject's
    /// id, name, self link, …).
    static func attachments(to subject: ResourceContext, _ query: ReferenceIndex.Query, keys: [String?]) -> Attachments {
        let stack = subject.stack
        let index = ReferenceIndex.of(stack, query)
        var matched = Set(index.candidates(dependingOn: subject.urn.rawValue))
        matched.formUnion(index.candidates(referencing: keys.compactMap { $0 }))
        matched.remove(subject.index)
        var result = Attachments()
        let context = { (i: Int) in ResourceContext(stack: stack, index: i, evidence: subject.evidence) }
        result.matched = matched.sorted().map(context)
        // A dependency on another in-stack resource settles an unknown reference; an unknown without one does not.
        result.unresolved = index.opaque
            .filter { $0.index != subject.index && !matched.contains($0.index) && !$0.dependencies.contains { stack.graph.index(of: $0) != nil } }
            .map(\.index).sorted().map(context)
        return result
    }
}

/// Compliance framework references used by the baseline packs. Control ids follow the benchmark versions named
/// here; a policy lists only the controls it actually decides.
enum BaselineFrameworks {
    static func cisAzure(_ control: String) -> FrameworkReference {
        FrameworkReference(name: "CIS Microsoft Azure Foundations Benchmark", version: "2.0.0", control: control)
    }
    static func cisAKS(_ control: String) -> FrameworkReference {
        FrameworkReference(name: "CIS Azure Kubernetes Service (AKS) Benchmark", version: "1.4.0", control: control)
    }
    static func cisGCP(_ control: String) -> FrameworkReference {
        FrameworkReference(name: "CIS Google Cloud Platform Foundation Benchmark", version: "2.0.0", control: control)
    }
    static func cisGKE(_ control: String) -> FrameworkReference {
        FrameworkReference(name: "CIS Google Kubernetes Engine (GKE) Benchmark", version: "1.4.0", control: control)
    }
    static func cisKubernetes(_ control: String) -> FrameworkReference {
        FrameworkReference(name: "CIS Kubernetes Benchmark", version: "1.8.0", control: control)
    }
    static func nsaKubernetes(_ section: String) -> FrameworkReference {
        FrameworkReference(name: "NSA/CISA Kubernetes Hardening Guidance", version: "1.2", control: section)
    }
    /// A Pod Security Standards control, `profile` being `baseline` or `restricted`.
    static func podSecurity(_ profile: String, _ control: String) -> FrameworkReference {
        FrameworkReference(name: "Kubernetes Pod Security Standards", version: profile, control: control)
    }
}

/// Address and port arithmetic for firewall-style rules.
enum BaselineNetwork {
    /// Source values that mean "anywhere" across Azure, GCP and Kubernetes.
    static let anywhere: Set<String> = ["*", "0.0.0.0/0", "0.0.0.0", "::/0", "internet", "any"]

    static func isAnywhere(_ source: String) -> Bool { anywhere.contains(source.lowercased()) }

    /// A dotted IPv4 address as a number.
    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ ($0 ?? 256) < 256 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1! }
    }

    /// Whether a port spec (`"22"`, `"20-25"`, `"*"`, empty = all) includes `port`.
    static func covers(_ spec: String, _ port: Int) -> Bool {
        let trimmed = spec.filter { $0 != " " }
        if trimmed.isEmpty || trimmed == "*" { return true }
        let bounds = trimmed.split(separator: "-").map { Int($0) }
        switch bounds.count {
        case 1: return bounds[0] == port
        case 2: if let low = bounds[0], let high = bounds[1] { return low <= port && port <= high } else { return false }
        default: return false
        }
    }
}
