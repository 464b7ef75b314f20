import RampartModel

/// An example resource that documents and tests a policy (SwiftLint's triggering/non-triggering examples).
public struct PolicyExample: Sendable, Hashable {
    public enum Expectation: String, Sendable, Hashable { case pass, violation, indeterminate, notApplicable = "not-applicable" }
    /// Type token of the example resource.
    public var type: String
    /// Its properties as JSON text (what the policy sees as its default property set).
    public var properties: String
    public var expectation: Expectation
    public var note: String?
    /// Config the example runs with, over the schema defaults.
    public var config: PolicyConfig
    /// For stack policies (and resource policies that look at neighbours): the whole example stack. When set,
    /// `type`/`properties` describe its first resource, the subject of a resource policy.
    public var resources: [ExampleResource]
    /// Run as a preview: policies see inputs, resources have no ids yet, and the unknown sentinel
    /// (`PulumiSignature.unknown`) in the JSON stands for values computed at deployment.
    public var preview: Bool

    public init(type: String, properties: String, expect expectation: Expectation, note: String? = nil,
                config: PolicyConfig = PolicyConfig(), preview: Bool = false) {
        self.type = type
        self.properties = properties
        self.expectation = expectation
        self.note = note
        self.config = config
        self.resources = []
        self.preview = preview
    }

    /// An example made of several resources linked by property dependencies.
    public init(resources: [ExampleResource], expect expectation: Expectation, note: String? = nil,
                config: PolicyConfig = PolicyConfig(), preview: Bool = false) {
        self.type = resources.first?.type ?? ""
        self.properties = resources.first?.properties ?? "{}"
        self.expectation = expectation
        self.note = note
        self.config = config
        self.resources = resources
        self.preview = preview
    }
}

/// One resource of a multi-resource example.
public struct ExampleResource: Sendable, Hashable {
    /// Logical name, unique in the example; URNs are built from it.
    public var name: String
    public var type: String
    /// Properties as JSON text (outputs, and inputs unless `inputs` is given).
    public var properties: String
    /// Inputs as JSON text when they differ from `properties`.
    public var inputs: String?
    /// Property name → names of the example resources it depends on.
    public var propertyDependencies: [String: [String]]
    /// Name of the example resource (a `pulumi:providers:*`) that provides this one.
    public var provider: String?

    public init(_ name: String, type: String, properties: String, inputs: String? = nil,
                propertyDependencies: [String: [String]] = [:], provider: String? = nil) {
        self.name = name
        self.type = type
        self.properties = properties
        self.inputs = inputs
        self.propertyDependencies = propertyDependencies
        self.provider = provider
    }
}

/// Everything that describes a policy: what it checks and why, and how to fix it.
public struct PolicyDescriptor: Sendable, Hashable {
    /// Kebab-case, unique in its pack, never changed once shipped.
    public var name: String
    public var description: String
    public var severity: Severity
    /// The policy's own level; nil means the pack default.
    public var enforcementLevel: EnforcementLevel?
    public var rationale: String?
    public var remediation: String?
    public var frameworks: [FrameworkReference]
    public var configSchema: ConfigSchema
    public var examples: [PolicyExample]
    /// The policies of other tools this one checks the same misconfiguration as, on the same resource types.
    public var equivalents: [PolicyEquivalent]
    /// The services (`s3`, `rds`, `apps`, …; see `PolicyServices`) a stack policy is about, for `--service`
    /// selection. Resource policies need none: their services come from their type tokens.
    public var services: [String]

    public init(name: String, description: String, severity: Severity = .medium, enforcementLevel: EnforcementLevel? = nil,
                rationale: String? = nil, remediation: String? = nil, frameworks: [FrameworkReference] = [],
                configSchema: ConfigSchema = ConfigSchema(), examples: [PolicyExample] = [],
                equivalents: [PolicyEquivalent] = [], services: [String] = []) {
        self.name = name
        self.description = description
        self.severity = severity
        self.enforcementLevel = enforcementLevel
        self.rationale = rationale
        self.remediation = remediation
        self.frameworks = frameworks
        self.configSchema = configSchema
        self.examples = examples
        self.equivalents = equivalents
        self.services = services
    }
}

/// A policy of another tool that checks what a Rampart policy checks (`rampart policies --format json` lists them).
public struct PolicyEquivalent: Sendable, Hashable, Codable {
    /// Where the other policy comes from.
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// Pulumi's Compliance-Ready Policies (`pulumi/compliance-policies`); `policy` is the upstream policy name.
        case pulumiCompliancePolicies = "pulumi-compliance-policies"
        /// Pulumi's AWSGuard pack; `policy` is AWSGuard's policy name.
        case awsguard
    }

    public var source: Source
    /// The other policy's name. A `*` makes it a family: a glob over the names of generated policies (Pulumi's
    /// 6,140 API-version policies, e.g. `azurenative-*-disallow-preview-resource`), which one policy covers at once.
    public var policy: String

    public init(_ source: Source, _ policy: String) {
        self.source = source
        self.policy = policy
    }
}

/// A policy: a resource policy (evaluated per resource) or a stack policy (evaluated once per stack).
public protocol Policy: Sendable {
    var descriptor: PolicyDescriptor { get }
    /// This policy as a resource policy; nil for other kinds. Given by `ResourcePolicy` (do not implement it): code
    /// that sorts policies by kind asks this rather than casting, because the first cast for each policy type
    /// searches every protocol conformance in the binary (~40,000 instructions, a few milliseconds per run).
    var asResourcePolicy: (any ResourcePolicy)? { get }
    /// This policy as a stack policy; nil for other kinds. Given by `StackPolicy` (see `asResourcePolicy`).
    var asStackPolicy: (any StackPolicy)? { get }
    /// This policy as a run policy; nil for other kinds. Given by `RunPolicy` (see `asResourcePolicy`).
    var asRunPolicy: (any RunPolicy)? { get }
}

extension Policy {
    public var asResourcePolicy: (any ResourcePolicy)? { nil }
    public var asStackPolicy: (any StackPolicy)? { nil }
    public var asRunPolicy: (any RunPolicy)? { nil }
}

/// A policy evaluated once per applicable resource.
public protocol ResourcePolicy: Policy {
    /// Which resource types the policy can apply to; the engine uses it to index policies by type token.
    var types: TypeSelector { get }
    /// Evaluates one resource. Throwing reports the outcome `error`; it never stops the run.
    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome
    /// Whether it also looks at the resources a stack only reads. Given by `ReadResourcePolicy` (do not implement it).
    var readsExternalResources: Bool { get }
    /// A copy for one of several workers evaluating a stack at once, whose reference-counted parts are its own: a
    /// reference count written from two cores moves its cache line between them on every write, and evaluation
    /// copies references to a compiled rule's parts all the time. The default is the policy itself; implement it
    /// when evaluating copies references to the policy's own objects (the rule language's compiled rules do).
    func copyForWorker() -> any ResourcePolicy
}

extension ResourcePolicy {
    public var asResourcePolicy: (any ResourcePolicy)? { self }
    public var readsExternalResources: Bool { false }
    public func copyForWorker() -> any ResourcePolicy { self }
}

/// A resource policy that also looks at the resources a stack only reads (data sources, `.get()` lookups, preview
/// `read` steps: `Resource.external`). Every other resource policy skips them, as CrossGuard does — their
/// configuration is not the stack's to fix — but what the stack's state *stores* about them is, e.g. a secret read
/// through a data source and kept in plaintext (`plaintext-secrets-in-state`).
public protocol ReadResourcePolicy: ResourcePolicy {}

extension ReadResourcePolicy {
    public var readsExternalResources: Bool { true }
}

/// A policy evaluated once per stack over its whole graph (and the other evidence).
public protocol StackPolicy: Policy {
    /// Evaluates the stack. An empty result means the stack passes.
    func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation
}

extension StackPolicy {
    public var asStackPolicy: (any StackPolicy)? { self }
}

/// A policy the engine decides itself once every stack is evaluated, from the run's exemptions and baseline rather
/// than from a stack's resources (RampartEngine's `builtin:rampart`). Stack evaluation passes over it; the engine's
/// report phase reports it. Because it is an ordinary policy of an ordinary pack, `rampart policies` lists it,
/// `rampart.yaml` levels it per stack and an exemption waives it like any other.
public protocol RunPolicy: Policy {
    /// What the engine checks for it.
    var check: RunCheck { get }
}

extension RunPolicy {
    public var asRunPolicy: (any RunPolicy)? { self }
}

/// The upkeep checks the engine makes over a whole run.
public enum RunCheck: Sendable, Hashable {
    /// A configured exemption whose `expires` date has passed.
    case expiredExemption
    /// A baseline entry older than the allowed age (`--baseline-max-age`).
    case staleBaselineEntry
}

/// What a stack policy found: per-resource outcomes and stack-level outcomes.
public struct StackEvaluation: Sendable {
    public struct Entry: Sendable {
        /// Index of the resource in the stack's graph; nil for stack-level results (config files, the org, …).
        public var resourceIndex: Int?
        public var outcome: Outcome
        public init(resourceIndex: Int?, outcome: Outcome) {
            self.resourceIndex = resourceIndex
            self.outcome = outcome
        }
    }
    public var entries: [Entry]
    public init(_ entries: [Entry] = []) { self.entries = entries }

    public static let pass = StackEvaluation([Entry(resourceIndex: nil, outcome: .pass)])
    public static func stackLevel(_ outcome: Outcome) -> StackEvaluation { StackEvaluation([Entry(resourceIndex: nil, outcome: outcome)]) }
}

/// A set of type-token patterns: exact tokens and `*` globs (`aws:s3/*`, `*`).
public struct TypeSelector: Sendable, Hashable {
    public let exact: Set<String>
    public let globs: [String]

    public init(_ patterns: [String]) {
        var exact = Set<String>()
        var globs: [String] = []
        for p in patterns {
            if p.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) { globs.append(p) } else { exact.insert(p) }
        }
        self.exact = exact
        self.globs = globs
    }

    public static let all = TypeSelector(["*"])

    public func matches(_ type: String) -> Bool {
        exact.contains(type) || globs.contains { Glob.matches($0, type) }
    }
}

/// Glob matching with `*` (any run, including `/` and `:`) and `?` (one character).
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        // Both read in place (a copy only for a bridged string): type selectors match every type of every stack.
        var pattern = pattern, text = text
        return pattern.withUTF8 { p in text.withUTF8 { t in matches(p, t) } }
    }

    static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
