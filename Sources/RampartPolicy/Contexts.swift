import RampartJSON
import RampartModel

/// What a resource policy sees: one resource of one stack, with its links.
public struct ResourceContext: Sendable {
    public let stack: Stack
    public let index: Int
    public let evidence: Evidence
    /// The resource (its fields are read in place through it).
    public let resource: Resource
    /// The properties read through a worker's document handle, worked out once per resource (every policy of the
    /// resource reads them); nil when the context was made without a handle.
    private let handled: PropertyValue?
    /// Whether `handled` holds the properties (read through a handle); a flag rather than a double optional, which
    /// costs an outlined copy on every read.
    private let hasHandle: Bool
    /// The kind of `properties` when the context was made with a handle (nil otherwise, or when there are none).
    /// Worked out once per resource: for an object it means looking for Pulumi's signature key among all its
    /// members, and each compiled rule evaluated on the resource starts from it.
    public let propertiesKind: PropertyKind?
    /// The evaluating worker's memos (its handle's); nil when the context was made without a handle.
    private let memos: WorkerMemos?
    /// `properties` lent, when the context was made with a handle (nil otherwise, or when there are none): valid
    /// while this context lives, which holds them. A compiled rule reads them for every policy of the resource,
    /// and each copy of `properties` costs a reference count on the document.
    public let lentProperties: LentPropertyValue?

    public init(stack: Stack, index: Int, evidence: Evidence = .none) {
        self.init(stack: stack, index: index, evidence: evidence, handle: nil)
    }

    /// `handle`: the evaluating worker's own handle on the stack's document (see `DocumentHandle`).
    public init(stack: Stack, index: Int, evidence: Evidence, handle: DocumentHandle?) {
        self.init(stack: stack, index: index, resource: stack.graph.resources[index], evidence: evidence, handle: handle)
    }

    /// `resource`: the stack's resource at `index`, taken from the caller's copy of the resources: an evaluating
    /// worker holds the array once, where reaching each resource through the graph every worker shares wrote the
    /// graph's and the array's reference counts from two cores for every resource.
    public init(stack: Stack, index: Int, resource: Resource, evidence: Evidence, handle: DocumentHandle?) {
        self.stack = stack
        self.index = index
        self.resource = resource
        self.evidence = evidence
        if let handle {
            let properties = resource.properties(stack.propertySource, through: handle.document)
            handled = properties
            hasHandle = true
            propertiesKind = properties?.kind
            memos = handle.memos
            lentProperties = properties?.lent
        } else {
            handled = nil
            hasHandle = false
            propertiesKind = nil
            memos = nil
            lentProperties = nil
        }
    }

    /// Calls `body` with the evaluating worker's memo of type `M` (see `WorkerMemos`), or with nil when the context
    /// was made without a worker's handle. A memo must give the answers its input would give uncached.
    public func withMemo<M: AnyObject, R>(_ make: () -> M, _ body: (M?) throws -> R) rethrows -> R {
        guard let memos else { return try body(nil) }
        return try memos.withMemo(make) { try body($0) }
    }

    /// The resource's default property set (outputs in state, inputs in a preview), read through the worker's
    /// document handle when the context has one.
    public var properties: PropertyValue? {
        if hasHandle { return handled }
        return resource.properties(stack.propertySource)
    }

    public var type: String { resource.type }
    public var urn: URN { resource.urn }
    public var name: String { resource.urn.name }

    /// The default property set: outputs in state, inputs in a preview.
    public var props: PropertyLookup { PropertyLookup(properties) }
    public var inputs: PropertyLookup { PropertyLookup(resource.inputs) }
    public var outputs: PropertyLookup { PropertyLookup(resource.outputs) }

    public var parent: ResourceContext? { stack.graph.parent(of: index).map { ResourceContext(stack: stack, index: $0, evidence: evidence) } }
    public var provider: ResourceContext? { stack.graph.provider(of: index).map { ResourceContext(stack: stack, index: $0, evidence: evidence) } }
    public var children: [ResourceContext] { stack.graph.children(of: index).map { ResourceContext(stack: stack, index: $0, evidence: evidence) } }
    public var dependencies: [ResourceContext] { stack.graph.dependencies(of: index).map { ResourceContext(stack: stack, index: $0, evidence: evidence) } }
    public var dependents: [ResourceContext] { stack.graph.dependents(of: index).map { ResourceContext(stack: stack, index: $0, evidence: evidence) } }
}

/// One worker's own handle on the document a stack's resources were read from. Each value read from a document
/// holds a reference to it; when every worker reads through the same document object, they all update one
/// reference count and the cores fight over it. A handle shares the parsed storage and costs nothing to make.
public struct DocumentHandle: Sendable {
    public let document: JSONDocument
    /// The worker's memos, kept as long as the handle (see `WorkerMemos`).
    public let memos = WorkerMemos()

    /// A new handle on the document holding the stack's first resource's properties (nil when there are none).
    public init?(stack: Stack) {
        guard let value = stack.graph.resources.lazy.compactMap({ $0.properties(stack.propertySource) }).first else {
            return nil
        }
        document = value.node.document.sharingStorage()
    }
}

/// What a stack policy sees: the whole stack and the other evidence.
public struct StackContext: Sendable {
    public let stack: Stack
    public let evidence: Evidence

    public init(stack: Stack, evidence: Evidence = .none) {
        self.stack = stack
        self.evidence = evidence
    }

    public var graph: ResourceGraph { stack.graph }
    public func resource(_ index: Int) -> ResourceContext { ResourceContext(stack: stack, index: index, evidence: evidence) }
    /// Every live resource whose type matches.
    public func resources(matching selector: TypeSelector) -> [ResourceContext] {
        var result: [ResourceContext] = []
        for type in graph.types where selector.matches(type) {
            result.append(contentsOf: graph.indexes(ofType: type).map(resource))
        }
        return result.sorted { $0.index < $1.index }
    }
}

/// A property lookup that never crashes: absent, unknown (preview), an encrypted secret, or a value.
/// Chained subscripts propagate absent/unknown/encrypted and look through decrypted secrets.
public enum PropertyLookup: Sendable {
    case absent
    case unknown
    case encrypted
    case value(PropertyValue)

    public init(_ value: PropertyValue?) {
        guard let value else { self = .absent; return }
        switch value.kind {
        case .null: self = .absent
        case .unknown: self = .unknown
        case .secret:
            if case .decrypted(let inner)? = value.secret { self = PropertyLookup(inner) } else { self = .encrypted }
        default: self = .value(value)
        }
    }

    public subscript(key: String) -> PropertyLookup {
        guard case .value(let v) = self else { return self }
        return PropertyLookup(v[key])
    }

    public subscript(index: Int) -> PropertyLookup {
        guard case .value(let v) = self else { return self }
        return PropertyLookup(v[index])
    }

    /// Follows a dotted path (`a.b.c`; numeric segments index arrays).
    public func at(_ path: String) -> PropertyLookup {
        // This runs for every property a policy reads. Segments are cut on the UTF-8 bytes, read in place ('.' is
        // ASCII, so every cut is a valid string boundary). The members of plain objects are followed on the tape
        // (`JSONNode.members(along:…)`), without a lookup value per step; what that walk leaves — an array to
        // index, a value that is absent, unknown or secret, a signature object — is read here a segment at a time,
        // a segment becoming a String only to index an array.
        guard case .value(let root) = self else { return self }
        var path = path
        return path.withUTF8 { bytes in
            // The key is passed unretained: a retain and release of the one constant every worker shares, around
            // every path, made the cores fight over its reference count.
            let walked = PulumiSignature.markedUnretained._withUnsafeGuaranteedRef { key in
                root.node.members(along: bytes, separator: UInt8(ascii: "."), through: key)
            }
            guard let (reached, followed) = walked else { return .absent }
            var current = followed == 0 ? self : PropertyLookup(PropertyValue(node: reached, dialect: root.dialect))
            var start = followed
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ".") { end &+= 1 }
                if start < end {
                    guard case .value(let v) = current else { return current }
                    let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    if v.node.kind == .array {
                        let index = Int(String(decoding: segment, as: UTF8.self))
                        current = index.map { current[$0] } ?? .absent
                    } else {
                        current = PropertyLookup(v.member(utf8: segment))
                    }
                }
                start = end &+ 1
            }
            return current
        }
    }

    public var value: PropertyValue? { if case .value(let v) = self { return v } else { return nil } }
    public var isAbsent: Bool { if case .absent = self { return true } else { return false } }
    /// Unknown or encrypted: the value exists but cannot be read.
    public var isOpaque: Bool {
        switch self { case .unknown, .encrypted: return true; default: return false }
    }
    public var string: String? { value?.string }
    public var bool: Bool? { value?.bool }
    public var number: Double? { value?.number }
    public var elements: [PropertyLookup] {
        guard case .value(let v) = self, v.node.kind == .array else { return [] }
        var result: [PropertyLookup] = []
        result.reserveCapacity(v.node.count)
        for child in v.node.elements { result.append(PropertyLookup(PropertyValue(node: child, dialect: v.dialect))) }
        return result
    }
    public var members: [(key: String, value: PropertyLookup)] {
        value?.members.map { ($0.key, PropertyLookup($0.value)) } ?? []
    }
    /// Number of elements or members, or string length.
    public var count: Int? {
        guard let v = value else { return nil }
        switch v.kind { case .array, .object, .string: return v.count; default: return nil }
    }
}
