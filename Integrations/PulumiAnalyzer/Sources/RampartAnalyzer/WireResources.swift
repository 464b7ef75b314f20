import PulumiRPC
import RampartModel

/// Builds the synthetic stack Rampart evaluates from what the engine sends: one resource (and its provider) for
/// `Analyze`, every resource with its links for `AnalyzeStack`.
enum WireResources {
    /// `Analyze`/`Remediate`: the resource first (index 0), its provider second when the engine resolved one.
    static func stack(for request: Pulumirpc_AnalyzeRequest, identity: StackIdentity?) throws(AnalyzerError) -> Stack {
        var resource = try makeResource(urn: request.urn, type: request.type, field: "urn")
        resource.inputs = try WireValues.propertyValue(request.properties)
        let options = request.options
        if !options.parent.isEmpty { resource.parent = options.parent }
        resource.protect = options.protect
        resource.additionalSecretOutputs = options.additionalSecretOutputs
        resource.aliases = options.aliases
        var resources = [resource]
        if request.hasProvider, !request.provider.urn.isEmpty {
            var provider = try makeResource(urn: request.provider.urn, type: request.provider.type, field: "provider.urn")
            provider.inputs = try WireValues.propertyValue(request.provider.properties)
            // The engine does not send the provider's ID; the URN alone links the two.
            resources[0].provider = ProviderReference(request.provider.urn + "::" + PulumiSignature.unknown)
            resources.append(provider)
        }
        return Stack(identity: identity ?? stackIdentity(of: resources[0].urn), source: "pulumi engine (Analyze)",
                     kind: .engineEvents, propertySource: .inputs, graph: ResourceGraph(resources: resources))
    }

    /// `AnalyzeStack`: every resource with outputs, parents, dependencies and property dependencies, in engine order.
    static func stack(for request: Pulumirpc_AnalyzeStackRequest, identity: StackIdentity?) throws(AnalyzerError) -> Stack {
        var resources: [Resource] = []
        resources.reserveCapacity(request.resources.count)
        for (i, wire) in request.resources.enumerated() {
            var resource = try makeResource(urn: wire.urn, type: wire.type, field: "resources[\(i)].urn")
            resource.outputs = try WireValues.propertyValue(wire.properties)
            let parent = wire.parent.isEmpty ? wire.options.parent : wire.parent
            if !parent.isEmpty { resource.parent = parent }
            resource.dependencies = wire.dependencies
            resource.propertyDependencies = wire.propertyDependencies.keys.sorted().compactMap { key in
                let urns = wire.propertyDependencies[key]!.urns
                return urns.isEmpty ? nil : (key, urns)
            }
            if wire.hasProvider, !wire.provider.urn.isEmpty {
                resource.provider = ProviderReference(wire.provider.urn + "::" + PulumiSignature.unknown)
            }
            resource.protect = wire.options.protect
            resource.additionalSecretOutputs = wire.options.additionalSecretOutputs
            resource.aliases = wire.options.aliases
            resources.append(resource)
        }
        let graph = ResourceGraph(resources: resources)
        let fallback = resources.first.map { stackIdentity(of: $0.urn) } ?? StackIdentity(organization: nil, project: nil, stack: "")
        return Stack(identity: identity ?? fallback, source: "pulumi engine (AnalyzeStack)", kind: .engineEvents,
                     propertySource: .outputs, graph: graph)
    }

    private static func makeResource(urn raw: String, type: String, field: String) throws(AnalyzerError) -> Resource {
        guard let urn = URN(raw) else { throw .invalidURN(raw, field: field) }
        return Resource(urn: urn, type: type.isEmpty ? nil : type)
    }

    private static func stackIdentity(of urn: URN) -> StackIdentity {
        StackIdentity(organization: nil, project: urn.project, stack: urn.stack)
    }
}
