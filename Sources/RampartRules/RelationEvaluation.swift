import RampartModel
import RampartPolicy

extension Evaluator {
    /// `related:` — counts the related resources that match (and satisfy `where`), with unknowns counted apart, and
    /// checks the count requirement over the range of possible counts.
    func evaluate(_ relation: Relation, _ scope: Scope, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        let graph = scope.stack.graph
        var certain = 0, uncertain = 0
        func consider(_ index: Int, link: Truth) throws(RuleEvaluationError) {
            guard link != .no else { return }
            var truth = link
            if let condition = relation.condition {
                let t = try evaluate(condition, scope.resource(index), &trace)
                truth = t == .no ? .no : (t == .unknown || truth == .unknown ? .unknown : .yes)
            }
            if truth == .yes { certain += 1 } else if truth == .unknown { uncertain += 1 }
        }
        switch relation.via {
        case .parent:
            if let p = graph.parent(of: scope.index), relation.types.matches(graph.resources[p].type) { try consider(p, link: .yes) }
        case .children:
            for i in graph.children(of: scope.index) where relation.types.matches(graph.resources[i].type) { try consider(i, link: .yes) }
        case .dependencies:
            for i in graph.dependencies(of: scope.index) where relation.types.matches(graph.resources[i].type) { try consider(i, link: .yes) }
        case .dependents:
            for i in graph.dependents(of: scope.index) where relation.types.matches(graph.resources[i].type) { try consider(i, link: .yes) }
        case .join(let theirs, let ours, let cache):
            let ourValue: ConfigValue
            switch resolve(ours, scope).plain() {
            case .value(let v): ourValue = v
            case .missing: ourValue = .null
            case .unreadable:
                trace.note("the value joined on is not known or is an encrypted secret")
                return .unknown
            }
            if case .null = ourValue { break }
            if let index = cache.index(for: graph, build: { buildJoinIndex(relation.types, theirs: theirs, scope) }) {
                let matches = index.byValue[ourValue] ?? []
                for candidate in matches where candidate != scope.index { try consider(candidate, link: .yes) }
                for candidate in index.unreadable where candidate != scope.index && !matches.contains(candidate) {
                    trace.note("a related resource's join value is not known or is an encrypted secret")
                    try consider(candidate, link: .unknown)
                }
                break
            }
            for index in candidates(relation.types, graph) where index != scope.index {
                let their = resolve(theirs, scope.resource(index))
                var link = Comparison.equal(their, ourValue, fold: false)
                if link == .no, their.kind == .array { link = Comparison.contains(their, ourValue, fold: false) }
                if link == .unknown { trace.note("a related resource's join value is not known or is an encrypted secret") }
                try consider(index, link: link)
            }
        }
        return try countTruth(relation.count, certain: certain, uncertain: uncertain, config: scope.config, &trace)
    }

    func countTruth(_ count: CountRequirement, certain: Int, uncertain: Int, config: PolicyConfig,
                    _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        let bound: Double
        switch count.operand {
        case .literal(let v): bound = v.number ?? 0
        case .config(let key):
            guard let v = config[key] else { throw .missingConfig(policy: policy, key: key) }
            bound = v.number ?? 0
        case .reference: bound = 0  // not produced by the checker
        }
        let truth = Comparison.count(certain: certain, uncertain: uncertain, count.comparison, bound)
        if truth == .unknown { trace.note("\(uncertain) related resource(s) could match but depend on unknown values") }
        return truth
    }

    /// Indexes of live resources whose type matches, in graph order.
    func candidates(_ types: TypeSelector, _ graph: ResourceGraph) -> [Int] {
        if types.globs.isEmpty {
            if types.exact.count == 1, let only = types.exact.first { return graph.indexes(ofType: only) }
            return types.exact.flatMap { graph.indexes(ofType: $0) }.sorted()
        }
        return graph.types.filter(types.matches).flatMap { graph.indexes(ofType: $0) }.sorted()
    }
}
