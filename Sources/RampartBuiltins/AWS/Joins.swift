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
    /// Resources of `types` whose `property` refers to `target`, which is known to others by `keys`.
    ///
    /// A candidate whose property is unknown is undecided unless its property dependencies point at another
    /// resource of the target's type (then it is that resource's). A known literal is undecided when the
    /// target's own keys are not known yet (an auto-named bucket in a preview).
    static func referrers(to target: ResourceContext, types: [String], property: String, keys: [String]) -> Referrers {
        var result = Referrers()
        let stack = target.stack
        let targetURN = target.urn.rawValue
        for type in types {
            for index in stack.graph.indexes(ofType: type) where index != target.index {
                let candidate = ResourceContext(stack: stack, index: index, evidence: target.evidence)
                let dependencies = candidate.propertyDependencies(property)
                if dependencies.contains(targetURN) { result.matches.append(candidate); continue }
                let reference = candidate.props[property]
                if reference.isOpaque {
                    let pointsElsewhere = dependencies.contains { stack.graph.resource($0)?.type == target.type }
                    if !pointsElsewhere { result.undecided = "\(property) of \(candidate.name) (\(shortType(type))) is not known" }
                    continue
                }
                let values = reference.strings
                if values.contains(where: keys.contains) { result.matches.append(candidate); continue }
                if keys.isEmpty && !values.isEmpty && dependencies.isEmpty {
                    result.undecided = "\(target.name) has no known name or id to match \(candidate.name) against"
                }
            }
        }
        result.matches.sort { $0.index < $1.index }
        return result
    }

    /// The resources of `types` that `source`'s `property` points at: by property dependency, else by value.
    /// `nil` when the reference is unknown and no dependency says where it goes.
    static func targets(of source: ResourceContext, property: String, types: [String],
                        keys: (ResourceContext) -> [String]) -> [ResourceContext]? {
        let byDependency = source.dependencies(ofProperty: property).filter { types.contains($0.type) }
        if !byDependency.isEmpty { return byDependency }
        let reference = source.props.at(property)
        if reference.isOpaque || reference.elements.contains(where: \.isOpaque) { return nil }
        let values = Set(reference.strings)
        guard !values.isEmpty else { return [] }
        let stack = StackContext(stack: source.stack, evidence: source.evidence)
        return stack.resources(matching: TypeSelector(types)).filter { keys($0).contains(where: values.contains) }
    }

    static func shortType(_ type: String) -> String { String(type.split(separator: ":").last ?? Substring(type)) }
}

/// The outcome of a check that looks for a compliant joined resource: pass when one is found, else
/// indeterminate when a candidate could not be decided, else a violation.
func joinedOutcome(found: Bool, _ referrers: Referrers, _ message: String) -> Outcome {
    if found { return .pass }
    if let reason = referrers.undecided { return .indeterminate(reason) }
    return .violation(Violation(message))
}
