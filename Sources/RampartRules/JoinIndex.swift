import Foundation
import RampartJSON
import RampartModel
import RampartPolicy

/// An index of one relation's join values over one stack: their value → the candidate resources holding it (or
/// holding an array containing it), plus the candidates whose value cannot be read. Built once per stack on first
/// use, so a join costs a dictionary lookup per resource instead of a scan of every candidate.
struct JoinIndex: Sendable {
    var byValue: [ConfigValue: [Int]]
    /// Candidates whose join value is unknown or an encrypted secret (in graph order).
    var unreadable: [Int]
}

/// A per-relation cache of join indexes. The engine evaluates one stack at a time (resources in parallel), so a
/// couple of entries suffice; each entry holds its stack's JSON document strongly, so the identity it is keyed by
/// cannot be reused by another document while the entry lives.
///
/// `@unchecked Sendable` is safe: every access to `entries` happens under `lock`.
final class JoinCache: @unchecked Sendable {
    private struct Entry {
        let anchor: JSONDocument
        let count: Int
        let index: JoinIndex
    }
    private var entries: [Entry] = []
    private let lock = NSLock()
    private static let capacity = 2

    /// The index for `graph`, building it with `build` when missing. Nil when the graph has no document to key by
    /// (then the caller scans the candidates).
    func index(for graph: ResourceGraph, build: () -> JoinIndex) -> JoinIndex? {
        guard let anchor = Self.anchor(graph) else { return nil }
        let id = ObjectIdentifier(anchor)
        if let hit = lock.withLock({ entries.first { ObjectIdentifier($0.anchor) == id && $0.count == graph.count } }) {
            return hit.index
        }
        let index = build()
        lock.withLock {
            entries.removeAll { ObjectIdentifier($0.anchor) == id }
            entries.append(Entry(anchor: anchor, count: graph.count, index: index))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
        return index
    }

    /// The document the graph's resources were read from: state and previews read every resource from one
    /// document. Fixture stacks read each resource from its own, so they key by the first and also check the count.
    private static func anchor(_ graph: ResourceGraph) -> JSONDocument? {
        for r in graph.resources {
            if let v = r.outputs ?? r.inputs { return v.node.document }
        }
        return nil
    }
}

extension Evaluator {
    /// Builds the join index of `theirs` over the candidates of `types`.
    func buildJoinIndex(_ types: TypeSelector, theirs: Reference, _ scope: Scope) -> JoinIndex {
        var index = JoinIndex(byValue: [:], unreadable: [])
        for candidate in candidates(types, scope.stack.graph) {
            let item = resolve(theirs, scope.resource(candidate))
            var keys: [ConfigValue] = []
            var unreadable = false
            switch item.plain() {
            case .value(let v): keys.append(v)
            case .missing: break
            case .unreadable: unreadable = true
            }
            if let elements = item.elements {
                for e in elements {
                    switch e.plain() {
                    case .value(let v): keys.append(v)
                    case .missing: break
                    case .unreadable: unreadable = true
                    }
                }
            }
            var seen = Set<ConfigValue>()
            for key in keys where seen.insert(key).inserted { index.byValue[key, default: []].append(candidate) }
            if unreadable { index.unreadable.append(candidate) }
        }
        return index
    }
}
