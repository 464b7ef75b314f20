import RampartJSON

/// Which set of properties a policy sees by default.
public enum PropertySource: String, Sendable, Hashable {
    /// Deployed state: outputs (provider defaults included).
    case outputs
    /// A preview: `newState.inputs`, since most outputs are not known yet.
    case inputs
}

/// One resource as Pulumi recorded it (ResourceV3 fields; docs/formats.md §1).
///
/// A value type with copy-on-write storage: policies and contexts copy resources freely, and a copy must cost one
/// reference count rather than one per field (a resource has two dozen).
public struct Resource: Sendable {
    /// The stored fields. Readers fill them in one go (`init(fields:)`) rather than through a setter per field.
    package struct Fields: Sendable {
        // In the order a large stack's passes read them: building the graph reads each resource's URN (its hash),
        // type, external and liveness flags and properties' documents, then its parent and dependencies; policies
        // read the type and properties. Kept together, those are the first two or three cache lines of the record
        // rather than four or five, and with 100,000 resources each line read is a miss.
        package var urn: URN
        package var type: String
        package var external: Bool = false
        package var delete: Bool = false
        package var pendingReplacement: Bool = false
        package var custom: Bool
        package var inputs: PropertyValue? = nil
        package var outputs: PropertyValue? = nil
        package var parent: String? = nil
        package var dependencies: LazyURNList = .value([])
        package var propertyDependencies: LazyPropertyURNLists = .value([])
        package var protect: Bool = false
        package var retainOnDelete: Bool = false
        package var taint: Bool = false
        package var id: LazyString = .value(nil)
        package var provider: ProviderReference? = nil
        /// Fields that few resources carry, out of line: one reference here instead of their ~150 bytes in every
        /// resource of a big stack.
        private var rare: RareBox? = nil
        package var created: LazyString = .value(nil)
        package var modified: LazyString = .value(nil)
        package var byteOffset: LazyOffset = .value(nil)

        package init(urn: URN, type: String, custom: Bool) {
            self.urn = urn
            self.type = type
            self.custom = custom
        }

        struct Rare {
            var providerRaw: String? = nil
            var additionalSecretOutputs: [String] = []
            var aliases: [String] = []
            var importID: LazyString = .value(nil)
            var deletedWith: LazyString = .value(nil)
            var sourcePosition: SourcePosition? = nil
            var initErrors: [String] = []
        }

        /// `@unchecked Sendable` is safe for the same reason as `Box`: written only through `updateRare`, which copies
        /// a shared box first.
        final class RareBox: @unchecked Sendable {
            var values: Rare
            init(_ values: Rare) { self.values = values }
        }

        /// Applies `change` to the rare fields; `isEmpty` says the new value is the default, which needs no box.
        private mutating func updateRare(isEmpty: Bool, _ change: (inout Rare) -> Void) {
            if rare == nil {
                if isEmpty { return }
                rare = RareBox(Rare())
            } else if !isKnownUniquelyReferenced(&rare) {
                rare = RareBox(rare!.values)
            }
            change(&rare!.values)
        }

        package var providerRaw: String? {
            get { rare?.values.providerRaw }
            set { updateRare(isEmpty: newValue == nil) { $0.providerRaw = newValue } }
        }
        package var additionalSecretOutputs: [String] {
            get { rare?.values.additionalSecretOutputs ?? [] }
            set { updateRare(isEmpty: newValue.isEmpty) { $0.additionalSecretOutputs = newValue } }
        }
        package var aliases: [String] {
            get { rare?.values.aliases ?? [] }
            set { updateRare(isEmpty: newValue.isEmpty) { $0.aliases = newValue } }
        }
        package var importID: LazyString {
            get { rare?.values.importID ?? .value(nil) }
            set { updateRare(isEmpty: newValue.isNil) { $0.importID = newValue } }
        }
        package var deletedWith: LazyString {
            get { rare?.values.deletedWith ?? .value(nil) }
            set { updateRare(isEmpty: newValue.isNil) { $0.deletedWith = newValue } }
        }
        package var sourcePosition: SourcePosition? {
            get { rare?.values.sourcePosition }
            set { updateRare(isEmpty: newValue == nil) { $0.sourcePosition = newValue } }
        }
        package var initErrors: [String] {
            get { rare?.values.initErrors ?? [] }
            set { updateRare(isEmpty: newValue.isEmpty) { $0.initErrors = newValue } }
        }
    }

    /// Storage shared between copies until one of them is mutated.
    /// `@unchecked Sendable` is safe: `fields` is only mutated through `mutate`, which first copies the box unless
    /// this value holds the only reference, so a box visible to more than one value (or thread) is never written.
    final class Box: @unchecked Sendable {
        /// Unchecked: every read of a resource's field (its type, URN, properties, tens of thousands a scan) went
        /// through the runtime's dynamic exclusivity check, ~150 instructions each. `fields` is written only by
        /// `mutate`, on a box no other resource shares (`isKnownUniquelyReferenced`), so no access can overlap it.
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: consuming Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func mutate<E: Error>(_ change: (inout Fields) throws(E) -> Void) throws(E) {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        try change(&box.fields)
    }

    /// Lets a reader fill the fields of a resource it has just made, in the resource's own storage.
    package mutating func fillingFields<E: Error>(_ fill: (inout Fields) throws(E) -> Void) throws(E) { try mutate(fill) }

    /// A resource with these fields (how readers build one: a single allocation, no setter per field).
    package init(fields: consuming Fields) {
        box = Box(fields)
    }

    public var urn: URN {
        get { box.fields.urn }
        set { mutate { $0.urn = newValue } }
    }
    public var type: String {
        get { box.fields.type }
        set { mutate { $0.type = newValue } }
    }
    public var custom: Bool {
        get { box.fields.custom }
        set { mutate { $0.custom = newValue } }
    }
    public var id: String? {
        get { box.fields.id.value }
        set { mutate { $0.id = .value(newValue) } }
    }
    public var parent: String? {
        get { box.fields.parent }
        set { mutate { $0.parent = newValue } }
    }
    public var provider: ProviderReference? {
        get { box.fields.provider }
        set { mutate { $0.provider = newValue } }
    }
    /// The raw provider string when it does not parse as a reference.
    public var providerRaw: String? {
        get { box.fields.providerRaw }
        set { mutate { $0.providerRaw = newValue } }
    }
    public var protect: Bool {
        get { box.fields.protect }
        set { mutate { $0.protect = newValue } }
    }
    public var external: Bool {
        get { box.fields.external }
        set { mutate { $0.external = newValue } }
    }
    /// Tombstone of a replaced resource awaiting deletion.
    public var delete: Bool {
        get { box.fields.delete }
        set { mutate { $0.delete = newValue } }
    }
    public var pendingReplacement: Bool {
        get { box.fields.pendingReplacement }
        set { mutate { $0.pendingReplacement = newValue } }
    }
    public var retainOnDelete: Bool {
        get { box.fields.retainOnDelete }
        set { mutate { $0.retainOnDelete = newValue } }
    }
    public var taint: Bool {
        get { box.fields.taint }
        set { mutate { $0.taint = newValue } }
    }
    public var dependencies: [String] {
        get { box.fields.dependencies.value }
        set { mutate { $0.dependencies = .value(newValue) } }
    }
    /// Property name → URNs it depends on, sorted by property name.
    public var propertyDependencies: [(property: String, urns: [String])] {
        get { box.fields.propertyDependencies.value }
        set { mutate { $0.propertyDependencies = .value(newValue) } }
    }

    /// Calls `body` with the UTF-8 bytes of every URN in `dependencies` and `propertyDependencies` (the properties'
    /// lists in the order they were written, not sorted), without making a string of any: how the graph links a big
    /// stack.
    package func forEachDependencyURN(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // Each list read from the storage on its own: a copy of all the fields cost more than the reading.
        switch box.fields.dependencies {
        case .value(let urns): for var urn in urns { urn.withUTF8(body) }
        case .node(let node): node.forEachStringElement(body)
        }
        switch box.fields.propertyDependencies {
        case .value(let lists): for (_, urns) in lists { for var urn in urns { urn.withUTF8(body) } }
        case .node(let node): node.forEachStringElementOfMembers(body)
        }
    }
    public var inputs: PropertyValue? {
        get { box.fields.inputs }
        set { mutate { $0.inputs = newValue } }
    }
    public var outputs: PropertyValue? {
        get { box.fields.outputs }
        set { mutate { $0.outputs = newValue } }
    }
    public var additionalSecretOutputs: [String] {
        get { box.fields.additionalSecretOutputs }
        set { mutate { $0.additionalSecretOutputs = newValue } }
    }
    public var aliases: [String] {
        get { box.fields.aliases }
        set { mutate { $0.aliases = newValue } }
    }
    public var importID: String? {
        get { box.fields.importID.value }
        set { mutate { $0.importID = .value(newValue) } }
    }
    public var deletedWith: String? {
        get { box.fields.deletedWith.value }
        set { mutate { $0.deletedWith = .value(newValue) } }
    }
    public var sourcePosition: SourcePosition? {
        get { box.fields.sourcePosition }
        set { mutate { $0.sourcePosition = newValue } }
    }
    public var initErrors: [String] {
        get { box.fields.initErrors }
        set { mutate { $0.initErrors = newValue } }
    }
    public var created: String? {
        get { box.fields.created.value }
        set { mutate { $0.created = .value(newValue) } }
    }
    public var modified: String? {
        get { box.fields.modified.value }
        set { mutate { $0.modified = .value(newValue) } }
    }
    /// Byte offset of the resource object in its input file (for locating findings).
    public var byteOffset: Int? {
        get { box.fields.byteOffset.value }
        set { mutate { $0.byteOffset = .value(newValue) } }
    }

    public init(urn: URN, type: String? = nil, custom: Bool = true) {
        box = Box(Fields(urn: urn, type: type ?? urn.type, custom: custom))
    }

    /// The resource's logical name (from its URN).
    public var name: String { box.fields.urn.name }

    /// The properties a policy sees by default for the given source.
    public func properties(_ source: PropertySource) -> PropertyValue? {
        let fields = box.fields
        switch source {
        case .outputs: return fields.outputs ?? fields.inputs
        case .inputs: return fields.inputs ?? fields.outputs
        }
    }

    /// `properties(source)` read through `handle`, another handle on their document (`PropertyValue.reading(through:)`).
    /// The stored value is read in place, so the document every worker shares is not retained on the way: its
    /// reference count, written by two cores for every resource, moved between their caches.
    public func properties(_ source: PropertySource, through handle: JSONDocument) -> PropertyValue? {
        switch source {
        case .outputs:
            if box.fields.outputs != nil { return box.fields.outputs?.reading(through: handle) }
            return box.fields.inputs?.reading(through: handle)
        case .inputs:
            if box.fields.inputs != nil { return box.fields.inputs?.reading(through: handle) }
            return box.fields.outputs?.reading(through: handle)
        }
    }
}

/// A string field of a resource kept as its place in the input until it is read: a scan rarely reads ids and never
/// timestamps, and decoding each into its own `String` was an allocation per field per resource.
package enum LazyString: Sendable {
    case value(String?)
    /// A string node of the input (the reader checked its kind).
    case node(JSONNode)

    /// A value known to be nil (what an absent field holds).
    var isNil: Bool {
        if case .value(nil) = self { return true }
        return false
    }

    package var value: String? {
        switch self {
        case .value(let string): return string
        case .node(let node): return node.string
        }
    }
}

/// Where a resource's record starts in its input, kept as the record's node until read: working the offset out of a
/// compacted document's position tables cost ~250 instructions a resource, and no scan reads it.
package enum LazyOffset: Sendable {
    case value(Int?)
    case node(JSONNode)

    package var value: Int? {
        switch self {
        case .value(let offset): return offset
        case .node(let node): return node.byteOffset
        }
    }
}

/// A resource's `dependencies` kept as their place in the input until read: the graph reads the URNs there
/// (`Resource.forEachDependencyURN`), few policies ask for them, and decoding each resource's list into an array of
/// strings was a tenth of reading a big stack.
package enum LazyURNList: Sendable {
    case value([String])
    /// An array of strings in the input (the reader checked its shape).
    case node(JSONNode)

    package var value: [String] {
        switch self {
        case .value(let urns): return urns
        case .node(let node): return node.elements.compactMap(\.string)
        }
    }
}

/// A resource's `propertyDependencies` kept as their place in the input until read (see `LazyURNList`).
package enum LazyPropertyURNLists: Sendable {
    /// Sorted by property name.
    case value([(property: String, urns: [String])])
    /// An object of arrays of strings in the input (the reader checked its shape).
    case node(JSONNode)

    package var value: [(property: String, urns: [String])] {
        switch self {
        case .value(let lists): return lists
        case .node(let node):
            var lists = node.members.map { (property: $0.key.string ?? "", urns: LazyURNList.node($0.value).value) }
            if lists.count > 1 { lists.sort { $0.property < $1.property } }
            return lists
        }
    }
}

/// A `sourcePosition` such as `project:///index.ts#12,5`.
public struct SourcePosition: Sendable, Hashable {
    public var raw: String
    /// The program file and position: the path part after the scheme, e.g. `index.ts` (or an absolute path for
    /// file URIs), with the line and column after `#`.
    public var location: SourceLocation

    /// The path part of `location`.
    public var path: String { location.file }
    public var line: Int? { location.line }
    public var column: Int? { location.column }

    public init?(_ raw: String) {
        self.raw = raw
        var rest = Substring(raw)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if rest.hasPrefix("/") && raw.hasPrefix("project://") { rest = rest.dropFirst() }
        var line: Int?, column: Int?
        if let hash = rest.lastIndex(of: "#") {
            let coords = rest[rest.index(after: hash)...].split(separator: ",")
            line = coords.first.flatMap { Int($0) }
            column = coords.count > 1 ? Int(coords[1]) : nil
            rest = rest[..<hash]
        }
        guard !rest.isEmpty else { return nil }
        location = SourceLocation(file: String(rest), line: line, column: column)
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
