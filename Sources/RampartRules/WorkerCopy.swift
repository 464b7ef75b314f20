import RampartPolicy

// Copies of compiled rules for one evaluating worker (`ResourcePolicy.copyForWorker()`). Evaluating a rule copies
// references to its leaves, paths and operands, and each copy writes the object's reference count; when two cores
// do that to the same objects, the count's cache line moves between them on every evaluation (measured: evaluation
// on two workers took 1.42x less time than on one, not 2x). A worker evaluating through its own copy writes only
// its own counts. Every object is rebuilt from the same values, so a copy gives the same answers; the memos meant to
// be shared (`RegexAnswers`, `JoinCache`) stay shared.

extension RuleResourcePolicy {
    public func copyForWorker() -> any ResourcePolicy {
        RuleResourcePolicy(descriptor: descriptor, types: types, applicability: applicability?.copyForWorker(),
                           validation: validation.copyForWorker(), message: message, evaluator: evaluator)
    }
}

extension Condition {
    func copyForWorker() -> Condition {
        switch self {
        case .all(let parts): return .all(parts.map { $0.copyForWorker() })
        case .any(let parts): return .any(parts.map { $0.copyForWorker() })
        case .not(let inner): return .not(inner.copyForWorker())
        case .leaf(let leaf): return .leaf(leaf.copyForWorker())
        case .quantified(let quantifier, let reference, let pathText, let body):
            return .quantified(quantifier, reference: reference.copyForWorker(), pathText: pathText,
                               body: body.copyForWorker())
        case .related(let relation):
            return .related(Relation(types: relation.types, via: relation.via.copyForWorker(),
                                     condition: relation.condition?.copyForWorker(),
                                     count: relation.count.copyForWorker()))
        }
    }
}

extension Leaf {
    func copyForWorker() -> Leaf {
        Leaf(reference: reference.copyForWorker(), op: op.copyForWorker(), ignoreCase: ignoreCase, match: match,
             isWildcard: isWildcard, pathText: pathText)
    }
}

extension PropertyPath {
    func copyForWorker() -> PropertyPath { PropertyPath(segments: segments.map { $0 }, text: text) }
}

extension Reference {
    func copyForWorker() -> Reference {
        switch self {
        case .props(let path): return .props(path.copyForWorker())
        case .inputs(let path): return .inputs(path.copyForWorker())
        case .outputs(let path): return .outputs(path.copyForWorker())
        case .providerProps(let path): return .providerProps(path.copyForWorker())
        case .config(let key, let path): return .config(key: key, path: path.copyForWorker())
        case .type, .name, .urn, .id, .stack, .project, .org, .protect, .custom, .parentType, .parentName,
             .providerType:
            return self
        }
    }
}

extension Operand {
    func copyForWorker() -> Operand {
        switch self {
        case .literal(let value): return .literal(value.copyForWorker())
        case .config: return self
        case .reference(let reference): return .reference(reference.copyForWorker())
        }
    }
}

extension Operator {
    func copyForWorker() -> Operator {
        switch self {
        case .equals(let o): return .equals(o.copyForWorker())
        case .notEquals(let o): return .notEquals(o.copyForWorker())
        case .isIn(let o): return .isIn(o.copyForWorker())
        case .notIn(let o): return .notIn(o.copyForWorker())
        case .contains(let o): return .contains(o.copyForWorker())
        case .notContains(let o): return .notContains(o.copyForWorker())
        case .containsAll(let o): return .containsAll(o.copyForWorker())
        case .containsAny(let o): return .containsAny(o.copyForWorker())
        case .startsWith(let o): return .startsWith(o.copyForWorker())
        case .endsWith(let o): return .endsWith(o.copyForWorker())
        case .compare(let c, let o): return .compare(c, o.copyForWorker())
        case .length(let c, let o): return .length(c, o.copyForWorker())
        // No reference-counted operand, or one meant to be shared (a regular expression's answers).
        case .exists, .matches, .notMatches, .isEmpty, .type, .isSecret, .isUnknown, .cidrIncludes: return self
        }
    }
}

extension Via {
    func copyForWorker() -> Via {
        switch self {
        case .join(let theirs, let ours, let cache):
            return .join(theirs: theirs.copyForWorker(), ours: ours.copyForWorker(), cache: cache)
        case .parent, .children, .dependencies, .dependents: return self
        }
    }
}

extension CountRequirement {
    func copyForWorker() -> CountRequirement {
        CountRequirement(comparison: comparison, operand: operand.copyForWorker())
    }
}
