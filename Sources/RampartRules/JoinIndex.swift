import Foundation
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

/// Identifies one compiled relation; its join indexes live in each graph's shared cache (`ResourceGraph.cache`) under
/// a key of its own, so they are built once per stack and released with the stack.
final class JoinCache: Sendable {
    private let key = GraphCache.Key<JoinIndex>.unique()

    /// The index for `graph`, built with `build` on first use.
    func index(for graph: ResourceGraph, build: () -> JoinIndex) -> JoinIndex? {
        graph.cache.value(key, build: build)
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
