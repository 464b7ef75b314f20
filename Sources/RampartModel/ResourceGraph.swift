import RampartJSON

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
    /// The parsed documents the properties of all of the above are read from, each storage once (handles made by
    /// `JSONDocument.sharingStorage()` count as one), in the order first met: what a search of every property value
    /// of the stack, such as for its secrets, has to look through. Gathered while the graph is built, on the
    /// workers that read every resource anyway, rather than by a later pass over all resources on one thread.
    public let documents: [JSONDocument]

    /// Join indexes and other derived data, built on first use and shared by all policies.
    public let cache = GraphCache()

    private let indexByURN: URNTable
    private let indexesByType: [String: [Int]]
    /// Every type token present, sorted (policies that select by pattern ask for it per resource).
    public let types: [String]
    /// `resources[i].external` for every live resource, read on the workers that hash the URNs: the evaluator's
    /// work list asks it of every resource on one thread, where reading each resource's own record was a cache miss
    /// per resource (~3 ms for 100,000).
    private let externalFlags: [Bool]
    private let childIndexes: IndexLists
    private let dependentIndexes: IndexLists

    /// Takes ownership of `all` (the common case, with no tombstones, keeps the array as it is). Links are resolved
    /// on up to `jobs` workers.
    public init(resources all: consuming [Resource], pendingOperations: [PendingOperation] = [], jobs: Int = 1) {
        var live = consume all  // the common case, no tombstones: no copies
        var tombstones: [Resource] = []
        var pending: [Resource] = []
        // URN hashes, type numbers and external flags are worked out on the workers, which also tell whether any
        // resource is a tombstone or a pending replacement (rare): only then is the live list made, and its keys
        // worked out again. The table and the type index are filled in resource order, so they are the same for any
        // number of workers.
        var keys = ResourceGraph.keys(of: live, jobs: jobs)
        if keys.contains(where: \.leavesLive) {
            let all = live
            live = []
            live.reserveCapacity(all.count)
            for resource in all {
                if resource.delete { tombstones.append(resource) }
                else if resource.pendingReplacement { pending.append(resource) }
                else { live.append(resource) }
            }
            keys = ResourceGraph.keys(of: live, jobs: jobs)
        }
        let count = live.count
        let resources = live
        let keyTasks = keys.count
        var documents = DocumentList()
        for slice in keys { for document in slice.documents { documents.add(document) } }
        for resource in tombstones + pending + pendingOperations.map(\.resource) { documents.add(resource) }
        let byURN = URNTable(resources, hashes: keys.flatMap(\.hashes))  // a later duplicate URN wins, as in Pulumi's snapshot
        let external = keys.flatMap(\.external)
        // Types are numbered by their bytes (a fast hash) rather than hashed per resource with SipHash.
        var typeNames = JSONStringInterner(capacity: Int.max)
        var typeLists: [[Int]] = []
        for (task, slice) in keys.enumerated() {
            let numbers = slice.types.map { typeNames.intern($0).number }
            while typeLists.count < typeNames.strings.count { typeLists.append([]) }
            for (offset, i) in Parallel.slice(task, of: keyTasks, items: count).enumerated() {
                typeLists[numbers[Int(slice.typeNumbers[offset])]].append(i)
            }
        }
        // Distinct bytes can still be equal Strings (canonically equivalent Unicode): such lists are merged.
        let byType = Dictionary(zip(typeNames.strings, typeLists), uniquingKeysWith: { ($0 + $1).sorted() })

        // Each slice of resources is linked on a worker; children and dependents are then filled in resource
        // order, so they are the same for any number of workers.
        let tasks = Parallel.taskCount(items: count, workers: jobs, minimum: 4096)
        let slices = Parallel.map(tasks, workers: jobs) { task in
            ResourceGraph.link(resources, Parallel.slice(task, of: tasks, items: count), byURN: byURN)
        }
        // Children and dependents are lists of lists kept in two flat arrays (`IndexLists`): counted, then filled
        // in resource order, so each list is in resource order and the same for any number of workers. An array
        // per resource cost ~100,000 allocations on one thread for a 100k-resource stack. The two are built at
        // once, one a worker: each pass runs over every resource on one thread.
        // A resource analysed on its own (the analyzer's per-resource calls) has no parent or dependency in the graph:
        // a side with no links is the empty lists, without a builder's arrays.
        let linksParents = slices.contains(where: \.linksParent), linksTargets = slices.contains { !$0.targets.isEmpty }
        let lists = Parallel.map(2, workers: linksParents && linksTargets ? jobs : 1) { which -> IndexLists in
            guard which == 0 ? linksParents : linksTargets else { return IndexLists.empty }
            var builder = IndexLists.Builder(count: count)
            for pass in 0..<2 {
                for (task, slice) in slices.enumerated() {
                    var next = 0
                    for (offset, i) in Parallel.slice(task, of: tasks, items: count).enumerated() {
                        if which == 0 {
                            if slice.parents[offset] >= 0 { builder.add(Int(slice.parents[offset]), i, counting: pass == 0) }
                            continue
                        }
                        let end = Int(slice.targetEnds[offset])
                        // Each dependency gets `i` once, however often `i` names it.
                        while next < end {
                            builder.addOnce(Int(slice.targets[next]), i, counting: pass == 0)
                            next += 1
                        }
                    }
                }
                if pass == 0 { builder.allocate() }
            }
            return builder.lists
        }
        self.resources = live
        self.tombstones = tombstones
        self.pendingReplacements = pending
        self.pendingOperations = pendingOperations
        self.documents = documents.documents
        self.indexByURN = byURN
        self.indexesByType = byType
        self.types = byType.keys.sorted()
        self.externalFlags = external
        self.childIndexes = lists[0]
        self.dependentIndexes = lists[1]
    }

    /// The links of one slice of resources: parent index (-1 for none or outside the graph) and the indexes of
    /// dependencies and property dependencies, flattened (`targetEnds[k]` is where resource `k`'s list ends).
    private struct SliceLinks: Sendable {
        var parents: [Int32] = []
        /// Whether some resource of the slice has its parent in the graph.
        var linksParent = false
        var targets: [Int32] = []
        var targetEnds: [Int32] = []
    }

    /// The URN hashes and type numbers (into `types`, the slice's distinct type tokens) of one slice of resources,
    /// and the documents their properties are read from.
    private struct SliceKeys: Sendable {
        var hashes: [UInt64] = []
        var typeNumbers: [Int32] = []
        var external: [Bool] = []
        /// Whether a resource of the slice is a tombstone or a pending replacement (not live).
        var leavesLive = false
        var types: [String] = []
        var documents: [JSONDocument] = []
    }

    /// Distinct document storages in the order first met. Neighbouring resources are almost always read from one
    /// document, so the last storage is compared first; the few documents of most stacks (one per input, two for a
    /// resource analysed with its provider) are then compared in turn, and a set is made only past that.
    private struct DocumentList {
        var documents: [JSONDocument] = []
        private var seen = Set<ObjectIdentifier>()
        private var last: ObjectIdentifier?
        private static let comparedInTurn = 8

        mutating func add(_ document: JSONDocument) {
            let identity = document.storageIdentity
            guard identity != last else { return }
            last = identity
            if documents.count < Self.comparedInTurn {
                guard !documents.contains(where: { $0.storageIdentity == identity }) else { return }
            } else {
                if seen.isEmpty { seen = Set(documents.map(\.storageIdentity)) }
                guard seen.insert(identity).inserted else { return }
            }
            documents.append(document)
        }

        mutating func add(_ resource: Resource) {
            if let document = resource.inputs?.node.document { add(document) }
            if let document = resource.outputs?.node.document { add(document) }
        }
    }

    /// The keys of `resources`, one slice of them per task, worked out on up to `jobs` workers; in slice order, the
    /// slices being `Parallel.slice` of as many tasks as there are results.
    private static func keys(of resources: [Resource], jobs: Int) -> [SliceKeys] {
        let tasks = Parallel.taskCount(items: resources.count, workers: jobs, minimum: 4096)
        return Parallel.map(tasks, workers: jobs) { task in
            ResourceGraph.keys(resources, Parallel.slice(task, of: tasks, items: resources.count))
        }
    }

    private static func keys(_ resources: [Resource], _ range: Range<Int>) -> SliceKeys {
        var keys = SliceKeys()
        keys.hashes.reserveCapacity(range.count)
        keys.typeNumbers.reserveCapacity(range.count)
        keys.external.reserveCapacity(range.count)
        var types = JSONStringInterner(capacity: Int.max)
        var documents = DocumentList()
        for i in range {
            let resource = resources[i]
            keys.hashes.append(resource.urn.byteHash)
            keys.typeNumbers.append(Int32(types.intern(resource.type).number))
            keys.external.append(resource.external)
            if resource.delete || resource.pendingReplacement { keys.leavesLive = true }
            documents.add(resource)
        }
        keys.types = types.strings
        keys.documents = documents.documents
        return keys
    }

    /// Resolves the links of `range` by URN. Readers already share repeated strings (`JSONStringInterner`), so
    /// the resources are only read here, never copied or updated.
    private static func link(_ resources: [Resource], _ range: Range<Int>, byURN: URNTable) -> SliceLinks {
        var links = SliceLinks()
        links.parents.reserveCapacity(range.count)
        links.targetEnds.reserveCapacity(range.count)
        // Neighbours mostly share a parent, and readers share that string, so the last parent's answer is checked
        // first: equal strings with one storage compare in one step, without hashing.
        var lastParent: (urn: String, index: Int32) = ("", -1)
        func lookup(_ urn: String, _ last: inout (urn: String, index: Int32)) -> Int32 {
            if urn == last.urn { return last.index }
            let index = byURN.index(of: urn).map { Int32($0) } ?? -1
            last = (urn, index)
            return index
        }
        // Dependencies are read as bytes where the reader left them; the last one found is compared first.
        var lastDependency = -1
        for i in range {
            let resource = resources[i]
            let parentIndex = resource.parent.map { lookup($0, &lastParent) } ?? -1
            resource.forEachDependencyURN { urn in
                if lastDependency < 0 || !byURN.urn(of: lastDependency, is: urn) {
                    guard let found = byURN.index(of: urn) else { return }
                    lastDependency = found
                }
                links.targets.append(Int32(lastDependency))
            }
            links.parents.append(parentIndex)
            if parentIndex >= 0 { links.linksParent = true }
            links.targetEnds.append(Int32(links.targets.count))
        }
        return links
    }

    public var count: Int { resources.count }

    public func index(of urn: String) -> Int? { indexByURN.index(of: urn) }
    public func resource(_ urn: String) -> Resource? { indexByURN.index(of: urn).map { resources[$0] } }

    /// Whether the live resource at `index` is one the stack only reads (`Resource.external`).
    public func isExternal(_ index: Int) -> Bool { externalFlags[index] }

    /// Indexes of live resources with exactly this type token.
    public func indexes(ofType type: String) -> [Int] { indexesByType[type] ?? [] }

    public func parent(of index: Int) -> Int? { resources[index].parent.flatMap { indexByURN.index(of: $0) } }
    public func children(of index: Int) -> ResourceIndexes { childIndexes[index] }
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
    public func dependents(of index: Int) -> ResourceIndexes { dependentIndexes[index] }

    /// The provider resource this resource uses, when it is in the graph.
    public func provider(of index: Int) -> Int? { resources[index].provider.flatMap { indexByURN.index(of: $0.urn) } }

    /// The root `pulumi:pulumi:Stack` resource, if any.
    public var stackResource: Resource? { indexes(ofType: "pulumi:pulumi:Stack").first.map { resources[$0] } }
}

/// Resource indexes of one list of an `IndexLists` (a resource's children or dependents), in resource order. A
/// view into storage shared by every list, like an `ArraySlice`: its positions start where the list does, not at 0,
/// so read it by iterating, `first`, or `Array(…)`.
public struct ResourceIndexes: RandomAccessCollection, Sendable, Equatable {
    private let storage: [Int32]
    public let startIndex: Int
    public let endIndex: Int

    init(_ storage: [Int32], _ range: Range<Int>) {
        self.storage = storage
        startIndex = range.lowerBound
        endIndex = range.upperBound
    }

    public subscript(position: Int) -> Int { Int(storage[position]) }

    public static func == (a: ResourceIndexes, b: ResourceIndexes) -> Bool { a.elementsEqual(b) }
}

/// A list of resource indexes per resource, all in one array: `list[starts[k]..<starts[k + 1]]` is resource `k`'s.
struct IndexLists: Sendable {
    private let starts: [Int32]
    private let list: [Int32]

    /// Every list empty, whatever the number of owners: no array is made.
    static var empty: IndexLists { IndexLists(starts: [], list: []) }

    subscript(index: Int) -> ResourceIndexes {
        guard !starts.isEmpty else { return ResourceIndexes(list, 0..<0) }  // `empty`
        return ResourceIndexes(list, Int(starts[index])..<Int(starts[index + 1]))
    }

    /// Built in two passes over the same entries: the first counts each list's length (`counting: true`), then
    /// `allocate()`, then the second writes the entries in the order they come.
    struct Builder {
        private var starts: [Int32]
        private var list: [Int32] = []
        private var filled: [Int32] = []
        /// The entry last added to each list in this pass (`addOnce`), -1 for none.
        private var last: [Int32]

        init(count: Int) {
            starts = [Int32](repeating: 0, count: count + 1)
            last = [Int32](repeating: -1, count: count)
        }

        mutating func add(_ owner: Int, _ entry: Int, counting: Bool) {
            if counting { starts[owner + 1] += 1 } else { list[Int(filled[owner])] = Int32(entry); filled[owner] += 1 }
        }

        /// `add`, unless `entry` was just added to `owner`'s list (an owner's entries come together).
        mutating func addOnce(_ owner: Int, _ entry: Int, counting: Bool) {
            guard last[owner] != Int32(entry) else { return }
            last[owner] = Int32(entry)
            add(owner, entry, counting: counting)
        }

        /// After the counting pass: turns the counts into starts and makes room for the entries.
        mutating func allocate() {
            for k in 1..<starts.count { starts[k] += starts[k - 1] }
            filled = Array(starts.dropLast())
            list = [Int32](repeating: 0, count: Int(starts[starts.count - 1]))
            last = [Int32](repeating: -1, count: last.count)
        }

        var lists: IndexLists { IndexLists(starts: starts, list: list) }
    }
}
