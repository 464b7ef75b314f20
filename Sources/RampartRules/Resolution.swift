import RampartJSON
import RampartModel
import RampartPolicy

extension Evaluator {
    /// Resolves a reference that yields one value.
    func resolve(_ reference: Reference, _ scope: Scope) -> Item {
        switch reference {
        case .props(let path): return walk(scope.root, path)
        case .inputs(let path): return walk(Item(resource(scope).inputs), path)
        case .outputs(let path): return walk(Item(resource(scope).outputs), path)
        case .config(let key, let path): return walk(Item(scope.config[key]), path)
        case .providerProps(let path):
            guard let p = scope.stack.graph.provider(of: scope.index) else { return .absent }
            return walk(Item(providerProperties(p, scope)), path)
        default: return identity(reference, scope)
        }
    }

    /// Resolves a reference whose path has wildcards into every value it reaches.
    func resolveMany(_ reference: Reference, _ scope: Scope) -> [Item] {
        let start: Item
        switch reference {
        case .props: start = scope.root
        case .inputs: start = Item(resource(scope).inputs)
        case .outputs: start = Item(resource(scope).outputs)
        case .config(let key, _): start = Item(scope.config[key])
        case .providerProps:
            guard let p = scope.stack.graph.provider(of: scope.index) else { return [] }
            start = Item(providerProperties(p, scope))
        default: return [identity(reference, scope)]
        }
        var out: [Item] = []
        walkMany(start, (reference.path?.segments ?? [])[...], into: &out)
        return out
    }

    private func resource(_ scope: Scope) -> Resource { scope.stack.graph.resources[scope.index] }

    /// What `$provider.props` reads: the provider resource's *inputs*, in every kind of input file, because that is
    /// what CrossGuard hands a policy (`args.provider.props` are the provider's inputs, whichever side the resource
    /// itself is read from). A state scan sees the inputs recorded in the state; only a provider record without
    /// inputs (very old checkpoints) falls back to its outputs.
    private func providerProperties(_ index: Int, _ scope: Scope) -> PropertyValue? {
        let provider = scope.stack.graph.resources[index]
        return provider.inputs ?? provider.outputs
    }

    private func walk(_ start: Item, _ path: PropertyPath) -> Item {
        // The common case, a path of keys and indexes through plain objects and arrays, is followed in one pass
        // over the document (`JSONNode.descend`); an `Item` is made only for the value reached. Where the descent
        // stops early (a value that is not a plain object or array on the way: null, unknown, a secret, a
        // signature object), the step-by-step walk takes over from there.
        guard case .value(.property(let value, let kind), let secret) = start else { return walkItems(start, path.segments[...]) }
        guard let keyPath = path.keyPath, keyPath.count > 0, kind == .object || kind == .array else {
            return walkSteps(value, kind, secret, path.segments[...])
        }
        guard let descent = value.node.descend(keyPath) else { return .absent }
        if descent.steps == 0 { return walkSteps(value, kind, secret, path.segments[...]) }
        let reached = PropertyValue(node: descent.node, dialect: value.dialect)
        let reachedKind = reached.kind
        if descent.steps == path.segments.count { return Item(reached, kind: reachedKind, secret: secret) }
        return walkStepsAfterStep(reached, reachedKind, secret, path.segments[descent.steps...])
    }

    /// The walk from `value` (of `kind`) reached by a step, before `segments`: a value that is not plain goes to
    /// the general walk, like in `walkSteps`.
    private func walkStepsAfterStep(_ value: PropertyValue, _ kind: PropertyKind, _ secret: Bool,
                                    _ segments: ArraySlice<PathSegment>) -> Item {
        switch kind {
        case .null, .unknown, .secret: return walkItems(Item(value, kind: kind, secret: secret), segments)
        default: return walkSteps(value, kind, secret, segments)
        }
    }

    /// Steps over property values one segment at a time from `value` (of `kind`).
    private func walkSteps(_ value: PropertyValue, _ kind: PropertyKind, _ secret: Bool,
                           _ segments: ArraySlice<PathSegment>) -> Item {
        var value = value, kind = kind
        var position = segments.startIndex
        while position < segments.endIndex {
            let child: JSONNode?
            switch segments[position] {
            case .key(let k): child = kind == .object ? value.node[k] : nil
            case .index(let i): child = kind == .array ? value.node[i] : nil
            case .everyElement, .everyMember: return .absent  // wildcard paths go through walkMany
            }
            guard let child else { return .absent }
            value = PropertyValue(node: child, dialect: value.dialect)
            kind = value.kind
            position += 1
            switch kind {
            case .null, .unknown, .secret:
                return walkItems(Item(value, kind: kind, secret: secret), segments[position...])
            default: continue
            }
        }
        return .value(.property(value, kind), secret: secret)
    }

    private func walkItems(_ start: Item, _ segments: ArraySlice<PathSegment>) -> Item {
        var current = start
        for segment in segments {
            switch segment {
            case .key(let k): current = current[k]
            case .index(let i): current = current[i]
            case .everyElement, .everyMember: return .absent  // wildcard paths go through walkMany
            }
            if case .absent = current { return .absent }
        }
        return current
    }

    private func walkMany(_ item: Item, _ segments: ArraySlice<PathSegment>, into out: inout [Item]) {
        guard let first = segments.first else { out.append(item); return }
        let rest = segments.dropFirst()
        switch first {
        case .key(let k): walkMany(item[k], rest, into: &out)
        case .index(let i): walkMany(item[i], rest, into: &out)
        case .everyElement:
            switch item {
            case .unknown, .encrypted: out.append(item)  // the elements themselves are not known
            default: for e in item.elements ?? [] { walkMany(e, rest, into: &out) }
            }
        case .everyMember:
            switch item {
            case .unknown, .encrypted: out.append(item)
            default: for m in item.members ?? [] { walkMany(m.value, rest, into: &out) }
            }
        }
    }

    private func identity(_ reference: Reference, _ scope: Scope) -> Item {
        let graph = scope.stack.graph
        let resource = graph.resources[scope.index]
        let identity = scope.stack.identity
        func text(_ s: String?) -> Item { s.map { Item(.string($0)) } ?? .absent }
        switch reference {
        case .type: return text(resource.type)
        case .name: return text(resource.name)
        case .urn: return text(resource.urn.rawValue)
        case .id:
            guard let id = resource.id, !id.isEmpty else { return .absent }
            return id == PulumiSignature.unknown ? .unknown : text(id)
        case .stack: return text(identity.stack)
        case .project: return text(identity.project ?? resource.urn.project)
        case .org: return text(identity.organization)
        case .protect: return Item(.bool(resource.protect))
        case .custom: return Item(.bool(resource.custom))
        case .parentType, .parentName:
            let parentURN: URN?
            if let p = graph.parent(of: scope.index) { parentURN = graph.resources[p].urn }
            else { parentURN = resource.parent.flatMap(URN.init) }
            guard let parentURN else { return .absent }
            return text(reference == .parentType ? parentURN.type : parentURN.name)
        case .providerType:
            if let p = graph.provider(of: scope.index) { return text(graph.resources[p].type) }
            return text(resource.provider.flatMap { URN($0.urn) }?.type)
        case .props, .inputs, .outputs, .config, .providerProps:
            return resolve(reference, scope)
        }
    }
}
