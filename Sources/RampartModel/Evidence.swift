/// A config entry of a stack or project file: `aws:region`, `proj:dbPassword` (unnamespaced keys rewritten to
/// `<project>:key`), with whether it is `secure:` and where it is.
public struct ConfigEntry: Sendable {
    /// Fully namespaced key.
    public var key: String
    /// The key as written.
    public var writtenKey: String
    /// The value; `secure:` values are represented as encrypted secrets (never their ciphertext).
    public var value: PropertyValue
    /// True when the value (or every leaf of it) is `secure:`.
    public var isSecure: Bool
    /// True when some nested leaf is `secure:` (maps/lists).
    public var containsSecure: Bool
    public var file: String
    public var line: Int
    public var column: Int
    /// Positions of nested values by path inside the value (`db.password`, `hosts.0`); `""` is the value itself.
    public var positions: [String: SourceLocation]

    public init(key: String, writtenKey: String, value: PropertyValue, isSecure: Bool, containsSecure: Bool,
                file: String, line: Int, column: Int, positions: [String: SourceLocation] = [:]) {
        self.key = key
        self.writtenKey = writtenKey
        self.value = value
        self.isSecure = isSecure
        self.containsSecure = containsSecure
        self.file = file
        self.line = line
        self.column = column
        self.positions = positions
    }

    /// Where a nested value is (falls back to the entry's own position).
    public func location(of path: String) -> SourceLocation {
        if !path.isEmpty, let position = positions[path] { return position }
        return SourceLocation(file: file, line: line, column: column)
    }

    public var namespace: String { key.split(separator: ":", maxSplits: 1).first.map(String.init) ?? key }
    public var name: String {
        guard let colon = key.firstIndex(of: ":") else { return key }
        return String(key[key.index(after: colon)...])
    }
}

/// `Pulumi.yaml` (docs/formats.md §6), the parts Rampart uses.
public struct ProjectFile: Sendable {
    public var path: String
    public var name: String
    public var runtime: String?
    public var stackConfigDir: String?
    public var backendURL: String?
    /// Config declarations and values in the project file.
    public var config: [ConfigEntry]
    /// Keys declared `secret: true` (in `config` or `template.config`), namespaced.
    public var secretKeys: Set<String>

    public init(path: String, name: String, runtime: String? = nil, stackConfigDir: String? = nil,
                backendURL: String? = nil, config: [ConfigEntry] = [], secretKeys: Set<String> = []) {
        self.path = path
        self.name = name
        self.runtime = runtime
        self.stackConfigDir = stackConfigDir
        self.backendURL = backendURL
        self.config = config
        self.secretKeys = secretKeys
    }
}

/// `Pulumi.<stack>.yaml` (docs/formats.md §7).
public struct StackConfigFile: Sendable {
    public var path: String
    /// The short stack name from the file name.
    public var stackName: String
    public var secretsProvider: Located<String>?
    public var encryptionSalt: Located<String>?
    public var encryptedKey: Located<String>?
    /// ESC environments imported (`environment:` list or inline `imports:`).
    public var environmentImports: [String]
    public var config: [ConfigEntry]

    public init(path: String, stackName: String, secretsProvider: Located<String>? = nil,
                encryptionSalt: Located<String>? = nil, encryptedKey: Located<String>? = nil,
                environmentImports: [String] = [], config: [ConfigEntry] = []) {
        self.path = path
        self.stackName = stackName
        self.secretsProvider = secretsProvider
        self.encryptionSalt = encryptionSalt
        self.encryptedKey = encryptedKey
        self.environmentImports = environmentImports
        self.config = config
    }

    /// The secrets provider this file selects (docs/formats.md §4 resolution order); nil when the file says nothing.
    public var effectiveSecretsProvider: String? {
        if let provider = secretsProvider?.value, provider != "passphrase", provider != "default" { return "cloud" }
        if encryptionSalt != nil || secretsProvider?.value == "passphrase" { return "passphrase" }
        return nil
    }
}

/// A CI workflow file (GitHub Actions or GitLab CI), kept as its YAML converted to a value tree with positions.
public struct WorkflowFile: Sendable {
    public enum Kind: String, Sendable { case githubActions = "github-actions", gitlabCI = "gitlab-ci" }
    public var path: String
    public var kind: Kind
    /// The whole document as a value.
    public var document: PropertyValue
    /// Positions of every mapping value by JSON-path-like key path (`jobs.deploy.env.AWS_ACCESS_KEY_ID`).
    public var positions: [String: SourceLocation]

    public init(path: String, kind: Kind, document: PropertyValue, positions: [String: SourceLocation] = [:]) {
        self.path = path
        self.kind = kind
        self.document = document
        self.positions = positions
    }
}

/// Everything besides resource graphs that policies may look at. Every part is optional.
///
/// The parts sit behind one reference, copied on write: every policy context carries the evidence, a context is
/// made for each resource evaluated, and copying the parts one by one (a reference count each) cost about a fifth
/// of what evaluating a simple rule costs.
public struct Evidence: Sendable {
    /// The parts, stored in one box shared between copies until one of them is changed (as `Resource` stores its
    /// fields).
    private struct Parts {
        var project: ProjectFile?
        var stackFiles: [StackConfigFile] = []
        var workflows: [WorkflowFile] = []
        var organization: OrganizationSnapshot?
        var organizationSubject: String?
        var enforcement: StackEnforcement?
        var today: String?
        var searchedRoot: String?
        var projectFilesOwner: String?
        var stateBuckets: [StateBucket] = []
    }

    /// `@unchecked Sendable` is safe: `parts` is written only through `unique()`, which first copies the box unless
    /// this value holds the only reference, so a box visible to more than one value (or thread) is never written.
    /// Unchecked exclusivity for the same reason (a class's stored property is otherwise checked at every access).
    private final class Box: @unchecked Sendable {
        @exclusivity(unchecked) var parts: Parts
        init(_ parts: Parts) { self.parts = parts }
    }

    private var box = Box(Parts())

    /// A second handle on this evidence: the same parts (nothing is copied but references) in a box of its own.
    /// Every resource context holds a copy of the evidence, so workers that evaluate one stack each through their
    /// own handle do not contend on one reference count (like `Stack.sharingValues()`).
    public func sharingValues() -> Evidence {
        var copy = self
        copy.box = Box(box.parts)
        return copy
    }

    /// The box, made this value's own first if another value shares it.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.parts) }
        return box
    }

    public var project: ProjectFile? {
        get { box.parts.project }
        set { unique().parts.project = newValue }
    }
    public var stackFiles: [StackConfigFile] {
        get { box.parts.stackFiles }
        set { unique().parts.stackFiles = newValue }
    }
    public var workflows: [WorkflowFile] {
        get { box.parts.workflows }
        set { unique().parts.workflows = newValue }
    }
    /// The organisation snapshot (docs/product.md §2.5), typed by `OrgSnapshotReader`.
    public var organization: OrganizationSnapshot? {
        get { box.parts.organization }
        set { unique().parts.organization = newValue }
    }
    /// When one run audits several stacks, the stack (`org/project/stack`) under which organisation-wide items
    /// (SSO, tokens, RBAC, audit logs) are reported, so each is reported once. nil: every stack reports them.
    public var organizationSubject: String? {
        get { box.parts.organizationSubject }
        set { unique().parts.organizationSubject = newValue }
    }
    /// The effective enforcement levels of the configured packs for this stack (from `rampart.yaml`); nil when no
    /// configuration was given.
    public var enforcement: StackEnforcement? {
        get { box.parts.enforcement }
        set { unique().parts.enforcement = newValue }
    }
    /// The run's date, `YYYY-MM-DD` (UTC), for ages and windows; nil means the current date.
    public var today: String? {
        get { box.parts.today }
        set { unique().parts.today = newValue }
    }
    /// Names of the files that were looked at, for `not-evaluable` reasons.
    public var searchedRoot: String? {
        get { box.parts.searchedRoot }
        set { unique().parts.searchedRoot = newValue }
    }
    /// When one run evaluates several stacks of a project, the stack (`org/project/stack`) under which the files
    /// shared by all of them — Pulumi.yaml and CI workflows — are reported, so each problem is reported once.
    /// nil: this stack owns them.
    public var projectFilesOwner: String? {
        get { box.parts.projectFilesOwner }
        set { unique().parts.projectFilesOwner = newValue }
    }
    /// The settings of the buckets holding the audited self-managed backends (`audit s3://…`, `gs://…`), read
    /// through the storage API; empty when no such backend was audited.
    public var stateBuckets: [StateBucket] {
        get { box.parts.stateBuckets }
        set { unique().parts.stateBuckets = newValue }
    }

    public init(project: ProjectFile? = nil, stackFiles: [StackConfigFile] = [], workflows: [WorkflowFile] = [],
                organization: OrganizationSnapshot? = nil, searchedRoot: String? = nil) {
        self.project = project
        self.stackFiles = stackFiles
        self.workflows = workflows
        self.organization = organization
        self.searchedRoot = searchedRoot
    }

    public static let none = Evidence()
}
