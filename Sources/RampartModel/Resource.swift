/// Which set of properties a policy sees by default.
public enum PropertySource: String, Sendable, Hashable {
    /// Deployed state: outputs (provider defaults included).
    case outputs
    /// A preview: `newState.inputs`, since most outputs are not known yet.
    case inputs
}

/// One resource as Pulumi recorded it (ResourceV3 fields; FORMATS.md §1).
public struct Resource: Sendable {
    public var urn: URN
    public var type: String
    public var custom: Bool
    public var id: String?
    public var parent: String?
    public var provider: ProviderReference?
    /// The raw provider string when it does not parse as a reference.
    public var providerRaw: String?
    public var protect: Bool
    public var external: Bool
    /// Tombstone of a replaced resource awaiting deletion.
    public var delete: Bool
    public var pendingReplacement: Bool
    public var retainOnDelete: Bool
    public var taint: Bool
    public var dependencies: [String]
    /// Property name → URNs it depends on, sorted by property name.
    public var propertyDependencies: [(property: String, urns: [String])]
    public var inputs: PropertyValue?
    public var outputs: PropertyValue?
    public var additionalSecretOutputs: [String]
    public var aliases: [String]
    public var importID: String?
    public var deletedWith: String?
    public var sourcePosition: SourcePosition?
    public var initErrors: [String]
    public var created: String?
    public var modified: String?
    /// Byte offset of the resource object in its input file (for locating findings).
    public var byteOffset: Int?

    public init(urn: URN, type: String? = nil, custom: Bool = true) {
        self.urn = urn
        self.type = type ?? urn.type
        self.custom = custom
        self.protect = false
        self.external = false
        self.delete = false
        self.pendingReplacement = false
        self.retainOnDelete = false
        self.taint = false
        self.dependencies = []
        self.propertyDependencies = []
        self.additionalSecretOutputs = []
        self.aliases = []
        self.initErrors = []
    }

    /// The resource's logical name (from its URN).
    public var name: String { urn.name }

    /// The properties a policy sees by default for the given source.
    public func properties(_ source: PropertySource) -> PropertyValue? {
        switch source {
        case .outputs: return outputs ?? inputs
        case .inputs: return inputs ?? outputs
        }
    }
}

/// A `sourcePosition` such as `project:///index.ts#12,5`.
public struct SourcePosition: Sendable, Hashable {
    public var raw: String
    /// The path part after the scheme, e.g. `index.ts` (or an absolute path for file URIs).
    public var path: String
    public var line: Int?
    public var column: Int?

    public init?(_ raw: String) {
        self.raw = raw
        var rest = Substring(raw)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if rest.hasPrefix("/") && raw.hasPrefix("project://") { rest = rest.dropFirst() }
        if let hash = rest.lastIndex(of: "#") {
            let coords = rest[rest.index(after: hash)...].split(separator: ",")
            line = coords.first.flatMap { Int($0) }
            column = coords.count > 1 ? Int(coords[1]) : nil
            rest = rest[..<hash]
        }
        guard !rest.isEmpty else { return nil }
        path = String(rest)
    }
}

/// A resource whose provider call was in flight when the CLI stopped.
public struct PendingOperation: Sendable {
    public var resource: Resource
    public var type: String
    public init(resource: Resource, type: String) {
        self.resource = resource
        self.type = type
    }
}

/// The secrets provider recorded in state (`secrets_providers`).
public struct SecretsProviderInfo: Sendable, Hashable {
    /// `service`, `passphrase`, `cloud`, `b64`, …
    public var type: String
    /// For `cloud`: the KMS URL (`awskms://…`).
    public var url: String?
    public init(type: String, url: String? = nil) {
        self.type = type
        self.url = url
    }
}
