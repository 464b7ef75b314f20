import RampartModel

/// "Which resources of these types point at X through this property?" — answered from an index built once per
/// stack, so a policy that joins each resource to its attachments costs O(1) per resource instead of a scan of the
/// stack (which made joins quadratic on large stacks).
public struct ReferenceIndex: Sendable {
    /// A candidate whose property value is not known (a preview unknown, an encrypted secret).
    public struct Opaque: Sendable {
        /// Position in the index's candidate order (types in the order given, then graph order).
        public var position: Int
        public var index: Int
        /// Its property dependencies for the property (the only link a preview has).
        public var dependencies: [String]
    }

    /// What the index holds. Kept in one immutable box (`Box`, as `Finding` keeps its fields): the graph's cache
    /// hands the index out once per resource a join judges, and a copy is one reference count rather than one per
    /// table.
    private struct Tables: Sendable {
        /// Target URN → candidates whose property dependencies for the property name it.
        var byDependency: [String: [Int]] = [:]
        /// Referenced value (lowercased when case-insensitive) → candidates whose property holds it.
        var byValue: [String: [Int]] = [:]
        var opaque: [Opaque] = []
        var literalsWithoutDependencies: [(position: Int, index: Int)] = []
        var partlyOpaque: Set<Int> = []
        let caseInsensitive: Bool
    }

    private final class Box: Sendable {
        let tables: Tables
        init(_ tables: Tables) { self.tables = tables }
    }

    private let box: Box

    /// Candidates whose property is unknown or encrypted, in type-then-graph order.
    public var opaque: [Opaque] { box.tables.opaque }
    /// Candidates with a known, non-empty reference and no property dependency, with their positions.
    public var literalsWithoutDependencies: [(position: Int, index: Int)] { box.tables.literalsWithoutDependencies }
    /// Candidates with a known reference one of whose elements is unknown.
    public var partlyOpaque: Set<Int> { box.tables.partlyOpaque }
    public var caseInsensitive: Bool { box.tables.caseInsensitive }

    /// What an index covers: the candidates' types and the property through which they refer (a dotted path;
    /// dependencies are those of its first segment). Policies keep their queries in constants, so finding the
    /// index for a resource builds no cache key.
    public struct Query: Sendable {
        public let types: [String]
        public let property: String
        public let caseInsensitive: Bool
        /// The graph cache's key for the index (queries with the same types, property and case share it).
        let cacheKey: GraphCache.Key<ReferenceIndex>

        public init(types: [String], property: String, caseInsensitive: Bool = false) {
            self.types = types
            self.property = property
            self.caseInsensitive = caseInsensitive
            cacheKey = GraphCache.Key("reference|\(types.joined(separator: ","))|\(property)|\(caseInsensitive)")
        }
    }

    /// The index `query` describes in `stack`, built on first use.
    public static func of(_ stack: Stack, _ query: Query) -> ReferenceIndex {
        stack.graph.cache.value(query.cacheKey) {
            ReferenceIndex(stack: stack, types: query.types, property: query.property, caseInsensitive: query.caseInsensitive)
        }
    }

    private init(stack: Stack, types: [String], property: String, caseInsensitive: Bool) {
        var tables = Tables(caseInsensitive: caseInsensitive)
        let selector = TypeSelector(types)
        let topLevel = String(property.split(separator: ".").first ?? Substring(property))
        let graph = stack.graph
        // Exact tokens in the order given, then glob matches in sorted order: a deterministic candidate order.
        var orderedTypes = types.filter { !$0.contains("*") && !$0.contains("?") }
        orderedTypes += graph.types.filter { selector.matches($0) && !orderedTypes.contains($0) }
        var position = 0
        for type in orderedTypes {
            for index in graph.indexes(ofType: type) {
                defer { position += 1 }
                let resource = graph.resources[index]
                let dependencies = resource.propertyDependencies.first { $0.property == topLevel }?.urns ?? []
                for urn in dependencies { tables.byDependency[urn, default: []].append(index) }
                let reference = PropertyLookup(resource.properties(stack.propertySource)).at(property)
                if reference.isOpaque {
                    tables.opaque.append(Opaque(position: position, index: index, dependencies: dependencies))
                    continue
                }
                let elements = reference.elements
                if elements.contains(where: \.isOpaque) { tables.partlyOpaque.insert(index) }
                let values = reference.string.map { [$0] } ?? elements.compactMap(\.string)
                for value in Set(values) where !value.isEmpty {
                    tables.byValue[caseInsensitive ? value.lowercased() : value, default: []].append(index)
                }
                if !values.isEmpty && dependencies.isEmpty { tables.literalsWithoutDependencies.append((position, index)) }
            }
        }
        box = Box(tables)
    }

    /// Candidates whose property dependencies name `urn`.
    public func candidates(dependingOn urn: String) -> [Int] { box.tables.byDependency[urn] ?? [] }

    /// Candidates whose known reference equals one of `keys`, in graph order without duplicates.
    public func candidates(referencing keys: [String]) -> [Int] {
        // Most keys find nothing: no set is made to drop duplicates, which sorting brings side by side.
        var result: [Int] = []
        for key in keys where !key.isEmpty {
            if let found = box.tables.byValue[caseInsensitive ? key.lowercased() : key] { result.append(contentsOf: found) }
        }
        guard result.count > 1 else { return result }
        result.sort()
        var kept = 1
        for i in 1..<result.count where result[i] != result[kept - 1] {
            result[kept] = result[i]
            kept += 1
        }
        result.removeLast(result.count - kept)
        return result
    }
}

/// "Which resources of these types are known by this value?" — id, `arn` and named properties, indexed once per
/// stack for joins that go from a reference to its target.
public struct KeyIndex: Sendable {
    private var byKey: [String: [Int]] = [:]

    /// What an index covers: the types of the resources it knows and the fields (besides the id and `arn`) that
    /// name them. Policies keep their queries in constants, as `ReferenceIndex.Query`s are kept, so finding the index
    /// for a resource makes no cache key.
    public struct Query: Sendable {
        public let types: [String]
        public let fields: [String]
        /// The graph cache's key for the index (queries with the same types and fields share it).
        let cacheKey: GraphCache.Key<KeyIndex>

        public init(types: [String], fields: [String]) {
            self.types = types
            self.fields = fields
            cacheKey = GraphCache.Key("keys|\(types.joined(separator: ","))|\(fields.joined(separator: ","))")
        }
    }

    /// The index `query` describes in `stack`: its types keyed by resource id and the string values of its fields
    /// (plus `arn`), built on first use.
    public static func of(_ stack: Stack, _ query: Query) -> KeyIndex {
        stack.graph.cache.value(query.cacheKey) { KeyIndex(stack: stack, types: query.types, fields: query.fields) }
    }

    private init(stack: Stack, types: [String], fields: [String]) {
        let selector = TypeSelector(types)
        for type in stack.graph.types where selector.matches(type) {
            for index in stack.graph.indexes(ofType: type) {
                let resource = stack.graph.resources[index]
                let props = PropertyLookup(resource.properties(stack.propertySource))
                let keys = [resource.id] + (["arn"] + fields).map { props[$0].string }
                for key in Set(keys.compactMap { $0 }) where !key.isEmpty { byKey[key, default: []].append(index) }
            }
        }
    }

    /// Resources known by any of `values`, in graph order without duplicates.
    public func resources(knownBy values: [String]) -> [Int] {
        Array(Set(values.flatMap { byKey[$0] ?? [] })).sorted()
    }
}
