/// The resources of one stack with their links: parent/children, dependencies/dependents, property
/// dependencies, providers, and an index by type token. Resources are kept in input order; tombstones
/// (`delete: true`) and pending replacements are kept apart from the live set.
///
/// A graph is immutable once built and shared by every policy context that looks at it, so it is a final class:
/// handing it around costs one reference count, not one per array it holds.
public final class ResourceGraph: Sendable {
    /// Live resources, in input order.
    public let resources: [Resource]
    /// Resources marked `delete: true` (awaiting deletion) — not evaluated as present.
    public let tombstones: [Resource]
    /// Resources with `pendingReplacement: true` — deleted, not yet recreated.
    public let pendingReplacements: [Resource]
    public let pendingOperations: [PendingOperation]

    /// Join indexes and other derived data, built on first use and shared by all policies.
    public let cache = GraphCache()

    private let indexByURN: URNTable
    private let indexesByType: [String: [Int]]
    private let childIndexes: [[Int]]
    private let dependentIndexes: [[Int]]

    /// Takes ownership of `all`: when the caller passes its last reference, the resources are updated in place
    /// (see the string sharing below) instead of copied.
    public init(resources all: consuming [Resource], pendingOperations: [PendingOperation] = []) {
        var live: [Resource]
        var tombstones: [Resource] = []
        var pending: [Resource] = []
        if all.contains(where: { $0.delete || $0.pendingReplacement }) {
            live = []
            live.reserveCapacity(all.count)
            for resource in all {
                if resource.delete { tombstones.append(resource) }
                else if resource.pendingReplacement { pending.append(resource) }
                else { live.append(resource) }
            }
        } else {
            live = consume all  // the common case: no copies
        }
        let urns = live.map(\.urn.rawValue)
        let byURN = URNTable(urns)  // a later duplicate URN wins, as in Pulumi's snapshot
        var byType: [String: [Int]] = [:]
        for (i, resource) in live.enumerated() { byType[resource.type, default: []].append(i) }
        var children = [[Int]](repeating: [], count: live.count)
        var dependents = [[Int]](repeating: [], count: live.count)
        // While links are resolved, strings that repeat across the stack are replaced by one shared copy: a
        // reference to a resource by that resource's own URN string, type tokens and provider URNs by the first
        // resource's. A big stack holds hundreds of thousands of such strings, each otherwise its own
        // allocation.
        var sharedTypes: [String: String] = [:]
        var sharedProviderURNs: [String: String] = [:]
        for i in live.indices {
            let resource = live[i]
            var parent = resource.parent
            if let name = parent, let p = byURN.index(of: name) {
                children[p].append(i)
                parent = urns[p]
            }
            // Each dependency appends `i` to its dependents once; lists are short, so a linear check beats a Set.
            let dependencies = resource.dependencies.map { urn -> String in
                guard let d = byURN.index(of: urn) else { return urn }
                if dependents[d].last != i { dependents[d].append(i) }
                return urns[d]
            }
            let propertyDependencies = resource.propertyDependencies.map { property, list in
                (property: property, urns: list.map { urn -> String in
                    guard let d = byURN.index(of: urn) else { return urn }
                    if dependents[d].last != i { dependents[d].append(i) }
                    return urns[d]
                })
            }
            let type = sharedTypes[resource.type] ?? resource.type
            sharedTypes[type] = type
            let provider = resource.provider.map { reference in
                let urn = byURN.index(of: reference.urn).map { urns[$0] } ?? sharedProviderURNs[reference.urn] ?? reference.urn
                sharedProviderURNs[urn] = urn
                return ProviderReference(sharing: reference, urn: urn)
            }
            live[i].share(parent: parent, dependencies: dependencies, propertyDependencies: propertyDependencies,
                          type: type, provider: provider)
        }
        self.resources = live
        self.tombstones = tombstones
        self.pendingReplacements = pending
        self.pendingOperations = pendingOperations
        self.indexByURN = byURN
        self.indexesByType = byType
        self.childIndexes = children
        self.dependentIndexes = dependents
    }

    public var count: Int { resources.count }

    public func index(of urn: String) -> Int? { indexByURN.index(of: urn) }
    public func resource(_ urn: String) -> Resource? { indexByURN.index(of: urn).map { resources[$0] } }

    /// Indexes of live resources with exactly this type token.
    public func indexes(ofType type: String) -> [Int] { indexesByType[type] ?? [] }
    /// Every type token present, sorted.
    public var types: [String] { indexesByType.keys.sorted() }

    public func parent(of index: Int) -> Int? { resources[index].parent.flatMap { indexByURN.index(of: $0) } }
    public func children(of index: Int) -> [Int] { childIndexes[index] }
    /// Resources this one depends on (`dependencies` and property dependencies), deduplicated, in order.
    public func dependencies(of index: Int) -> [Int] {
        var seen = Set<Int>()
        var result: [Int] = []
        let resource = resources[index]
        for urn in resource.dependencies + resource.propertyDependencies.flatMap(\.urns) {
            if let d = indexByURN.index(of: urn), seen.insert(d).inserted { result.append(d) }
        }
        return result
    }
    /// Resources that depend on this one.
    public func dependents(of index: Int) -> [Int] { dependentIndexes[index] }

    /// The provider resource this resource uses, when it is in the graph.
    public func provider(of index: Int) -> Int? { resources[index].provider.flatMap { indexByURN.index(of: $0.urn) } }

    /// The root `pulumi:pulumi:Stack` resource, if any.
    public var stackResource: Resource? { indexes(ofType: "pulumi:pulumi:Stack").first.map { resources[$0] } }
}
