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
///
/// A value type with copy-on-write storage: policy contexts copy the stack for every resource they look at, so a
/// copy must cost one reference count, not one per field.
public struct Stack: Sendable {
    private final class Storage: Sendable {
        let identity: StackIdentity
        let source: String
        let kind: InputKind
        let propertySource: PropertySource
        let graph: ResourceGraph
        let secretsProvider: SecretsProviderInfo?
        let version: Int
        let features: [String]
        let notices: [InputNotice]
        let byteCount: Int

        init(identity: StackIdentity, source: String, kind: InputKind, propertySource: PropertySource, graph: ResourceGraph,
             secretsProvider: SecretsProviderInfo?, version: Int, features: [String], notices: [InputNotice], byteCount: Int) {
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

        func with(identity: StackIdentity? = nil, source: String? = nil, kind: InputKind? = nil,
                  propertySource: PropertySource? = nil, graph: ResourceGraph? = nil,
                  secretsProvider: SecretsProviderInfo?? = nil, version: Int? = nil, features: [String]? = nil,
                  notices: [InputNotice]? = nil, byteCount: Int? = nil) -> Storage {
            Storage(identity: identity ?? self.identity, source: source ?? self.source, kind: kind ?? self.kind,
                    propertySource: propertySource ?? self.propertySource, graph: graph ?? self.graph,
                    secretsProvider: secretsProvider ?? self.secretsProvider, version: version ?? self.version,
                    features: features ?? self.features, notices: notices ?? self.notices, byteCount: byteCount ?? self.byteCount)
        }
    }

    private var storage: Storage

    public var identity: StackIdentity {
        get { storage.identity }
        set { storage = storage.with(identity: newValue) }
    }
    /// The file it came from.
    public var source: String {
        get { storage.source }
        set { storage = storage.with(source: newValue) }
    }
    public var kind: InputKind {
        get { storage.kind }
        set { storage = storage.with(kind: newValue) }
    }
    /// Which property set policies see by default.
    public var propertySource: PropertySource {
        get { storage.propertySource }
        set { storage = storage.with(propertySource: newValue) }
    }
    public var graph: ResourceGraph {
        get { storage.graph }
        set { storage = storage.with(graph: newValue) }
    }
    public var secretsProvider: SecretsProviderInfo? {
        get { storage.secretsProvider }
        set { storage = storage.with(secretsProvider: .some(newValue)) }
    }
    /// Deployment `version` (1–4; 0 for the pre-versioned shape).
    public var version: Int {
        get { storage.version }
        set { storage = storage.with(version: newValue) }
    }
    public var features: [String] {
        get { storage.features }
        set { storage = storage.with(features: newValue) }
    }
    public var notices: [InputNotice] {
        get { storage.notices }
        set { storage = storage.with(notices: newValue) }
    }
    /// Input size in bytes.
    public var byteCount: Int {
        get { storage.byteCount }
        set { storage = storage.with(byteCount: newValue) }
    }

    /// A second handle on this stack: the same values (nothing is copied but references) in a storage object of its
    /// own. Every resource context and rule scope holds a copy of its stack, so workers that evaluate one stack each
    /// through their own handle do not contend on one reference count (like `JSONDocument.sharingStorage()`).
    public func sharingValues() -> Stack {
        var copy = self
        copy.storage = storage.with()
        return copy
    }

    public init(identity: StackIdentity, source: String, kind: InputKind, propertySource: PropertySource,
                graph: ResourceGraph, secretsProvider: SecretsProviderInfo? = nil, version: Int = 3,
                features: [String] = [], notices: [InputNotice] = [], byteCount: Int = 0) {
        storage = Storage(identity: identity, source: source, kind: kind, propertySource: propertySource, graph: graph,
                          secretsProvider: secretsProvider, version: version, features: features, notices: notices,
                          byteCount: byteCount)
    }
}
