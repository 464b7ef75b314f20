/// What kind of file a stack was read from.
public enum InputKind: String, Sendable, Hashable {
    case stateExport = "state-export"
    case checkpoint
    case previewDigest = "preview"
    case engineEvents = "engine-events"
    case resourceList = "resource-list"
    /// A project's config files and CI workflows (`rampart lint`): no resources, only file evidence.
    case projectConfig = "project-config"
}

/// A problem in an input that does not stop the scan (unknown feature, undefined signature value, …).
public struct InputNotice: Sendable, Hashable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// One stack read from one input: identity, its resource graph, and what the file said about secrets.
public struct Stack: Sendable {
    public var identity: StackIdentity
    /// The file it came from.
    public var source: String
    public var kind: InputKind
    /// Which property set policies see by default.
    public var propertySource: PropertySource
    public var graph: ResourceGraph
    public var secretsProvider: SecretsProviderInfo?
    /// Deployment `version` (1–4; 0 for the pre-versioned shape).
    public var version: Int
    public var features: [String]
    public var notices: [InputNotice]
    /// Input size in bytes.
    public var byteCount: Int

    public init(identity: StackIdentity, source: String, kind: InputKind, propertySource: PropertySource,
                graph: ResourceGraph, secretsProvider: SecretsProviderInfo? = nil, version: Int = 3,
                features: [String] = [], notices: [InputNotice] = [], byteCount: Int = 0) {
        self.identity = identity
        self.source = source
        self.kind = kind
        self.propertySource = propertySource
        self.graph = graph
        self.secretsProvider = secretsProvider
        self.version = version
        self.features = features
        self.notices = notices
        self.byteCount = byteCount
    }
}
