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
    /// (see the string sharing below) instead of copied. Links are resolved on up to `jobs` workers.
    public init(resources all: consuming [Resource], pendingOperations: [PendingOperation] = [], jobs: Int = 1) {
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

        // Each slice of resources is linked on a worker; children and dependents are then filled in resource
        // order, so they are the same for any number of workers.
        let tasks = Parallel.taskCount(items: live.count, workers: jobs, minimum: 4096)
        let count = live.count
        let slices = live.withUnsafeMutableBufferPointer { buffer in
            let resources = ResourceBuffer(base: buffer.baseAddress)
            return Parallel.map(tasks, workers: jobs) { task in
                ResourceGraph.link(resources, Parallel.slice(task, of: tasks, items: count), urns: urns, byURN: byURN)
            }
        }
        var children = [[Int]](repeating: [], count: live.count)
        var dependents = [[Int]](repeating: [], count: live.count)
        for (task, slice) in slices.enumerated() {
            var next = 0
            for (offset, i) in Parallel.slice(task, of: tasks, items: count).enumerated() {
                if slice.parents[offset] >= 0 { children[Int(slice.parents[offset])].append(i) }
                let end = Int(slice.targetEnds[offset])
                // Each dependency appends `i` to its dependents once; lists are short, so a linear check beats a Set.
                while next < end {
                    let d = Int(slice.targets[next])
                    if dependents[d].last != i { dependents[d].append(i) }
                    next += 1
                }
            }
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

    /// The links of one slice of resources: parent index (-1 for none or outside the graph) and the indexes of
    /// dependencies and property dependencies, flattened (`targetEnds[k]` is where resource `k`'s list ends).
    private struct SliceLinks: Sendable {
        var parents: [Int32] = []
        var targets: [Int32] = []
        var targetEnds: [Int32] = []
    }

    /// Resolves the links of `range` and, while at it, replaces strings that repeat across the stack by one shared
    /// copy: a reference to a resource by that resource's own URN string, type tokens and provider URNs by the
    /// first of the slice. A big stack holds hundreds of thousands of such strings, each otherwise its own
    /// allocation.
    private static func link(_ resources: ResourceBuffer, _ range: Range<Int>, urns: [String], byURN: URNTable) -> SliceLinks {
        var links = SliceLinks()
        links.parents.reserveCapacity(range.count)
        links.targetEnds.reserveCapacity(range.count)
        var sharedTypes: [String: String] = [:]
        var sharedProviderURNs: [String: String] = [:]
        for i in range {
            let resource = resources.base![i]
            var parent = resource.parent
            var parentIndex: Int32 = -1
            if let name = parent, let p = byURN.index(of: name) {
                parentIndex = Int32(p)
                parent = urns[p]
            }
            let dependencies = resource.dependencies.map { urn -> String in
                guard let d = byURN.index(of: urn) else { return urn }
                links.targets.append(Int32(d))
                return urns[d]
            }
            let propertyDependencies = resource.propertyDependencies.map { property, list in
                (property: property, urns: list.map { urn -> String in
                    guard let d = byURN.index(of: urn) else { return urn }
                    links.targets.append(Int32(d))
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
            resources.base![i].share(parent: parent, dependencies: dependencies, propertyDependencies: propertyDependencies,
                                     type: type, provider: provider)
            links.parents.append(parentIndex)
            links.targetEnds.append(Int32(links.targets.count))
        }
        return links
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

/// The graph's resource array while it is being linked.
/// `@unchecked Sendable`: each worker reads and updates only the resources of its own slice, and the array
/// outlives the workers (they run inside `withUnsafeMutableBufferPointer`).
private struct ResourceBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Resource>?
}
