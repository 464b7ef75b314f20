import RampartModel
import RampartPolicy

/// The resources that refer to one target through a property, and whether some reference could not be decided.
struct Referrers {
    var matches: [ResourceContext] = []
    /// Why some candidate might refer to the target but cannot be told apart yet (a preview unknown).
    var undecided: String?
}

/// Joins between resources of one stack: by property dependency first (the only link a preview has, since ids
/// and ARNs are unknown there), then by value — id, ARN or name — when both sides are known.
enum AWSJoin {
    /// Resources of the query's types whose property refers to `target`, which is known to others by `keys`.
    ///
    /// A candidate whose property is unknown is undecided unless its property dependencies point at another
    /// resource of the target's type (then it is that resource's). A known literal is undecided when the
    /// target's own keys are not known yet (an auto-named bucket in a preview).
    static func referrers(to target: ResourceContext, _ query: ReferenceIndex.Query, keys: [String]) -> Referrers {
        let stack = target.stack
        let property = query.property
        let index = ReferenceIndex.of(stack, query)
        var matched = Set(index.candidates(dependingOn: target.urn.rawValue))
        matched.formUnion(index.candidates(referencing: keys))
        matched.remove(target.index)
        var result = Referrers()
        result.matches = matched.sorted().map { ResourceContext(stack: stack, index: $0, evidence: target.evidence) }
        // The reason names the last undecided candidate in candidate order.
        var reason: (position: Int, text: String)?
        for candidate in index.opaque.reversed() where candidate.index != target.index && !matched.contains(candidate.index) {
            let pointsElsewhere = candidate.dependencies.contains { stack.graph.resource($0)?.type == target.type }
            guard !pointsElsewhere else { continue }
            let resource = stack.graph.resources[candidate.index]
            reason = (candidate.position, "\(property) of \(resource.name) (\(shortType(resource.type))) is not known")
            break
        }
        if keys.isEmpty, let literal = index.literalsWithoutDependencies.last(where: { $0.index != target.index && !matched.contains($0.index) }),
           literal.position > (reason?.position ?? -1) {
            reason = (literal.position, "\(target.name) has no known name or id to match \(stack.graph.resources[literal.index].name) against")
        }
        result.undecided = reason?.text
        return result
    }

    /// The resources of the query's types that `source`'s `property` points at: by property dependency, else by
    /// value — a target's id, ARN or one of the query's fields. `nil` when the reference is unknown and no dependency
    /// says where it goes.
    static func targets(of source: ResourceContext, property: String, _ query: KeyIndex.Query) -> [ResourceContext]? {
        let byDependency = source.dependencies(ofProperty: property).filter { query.types.contains($0.type) }
        if !byDependency.isEmpty { return byDependency }
        let reference = source.props.at(property)
        if reference.isOpaque { return nil }
        var values: [String] = []
        if reference.forEachString({ values.append($0) }) { return nil }
        guard !values.isEmpty else { return [] }
        return KeyIndex.of(source.stack, query).resources(knownBy: values)
            .map { ResourceContext(stack: source.stack, index: $0, evidence: source.evidence) }
    }

    static func shortType(_ type: String) -> String { String(type.split(separator: ":").last ?? Substring(type)) }
}

/// The outcome of a check that looks for a compliant joined resource: pass when one is found, else
/// indeterminate when a candidate could not be decided, else a violation. The message is built only for the
/// violation (most buckets pass most of these checks).
func joinedOutcome(found: Bool, _ referrers: Referrers, _ message: @autoclosure () -> String) -> Outcome {
    if found { return .pass }
    if let reason = referrers.undecided { return .indeterminate(reason) }
    return .violation(Violation(message()))
}
