import PulumiRPC
import RampartJSON
import RampartModel
import SwiftProtobuf

/// The requests the Pulumi engine sends for a stack's resources, built from a Rampart `Stack`. Property values are
/// written in wire form independently of the analyzer's own conversion: state JSON → `Struct`, with state secrets
/// `{sig, plaintext: "<json>"}` turned into the engine's `{sig, value: <value>}`.
public enum EngineRequests {
    /// Which of a resource's properties `Analyze` sends as its inputs.
    public enum AnalyzedProperties: Sendable {
        /// The resource's inputs, as a preview of an existing stack sends them.
        case inputs
        /// Its outputs: for generated stacks whose inputs hold little, the full configuration a program would set.
        case outputs
    }

    /// Properties in wire form.
    public static func wire(_ value: PropertyValue?) throws -> Google_Protobuf_Struct {
        guard let value else { return Google_Protobuf_Struct() }
        var writer = JSONWriter()
        writer.node(value.node)
        return try wireSecrets(try Google_Protobuf_Struct(jsonString: writer.string))
    }

    private static func wireSecrets(_ s: Google_Protobuf_Struct) throws -> Google_Protobuf_Struct {
        if case .stringValue(PulumiSignature.secret)? = s.fields[PulumiSignature.key]?.kind,
           case .stringValue(let plaintext)? = s.fields["plaintext"]?.kind {
            var secret = Google_Protobuf_Struct()
            secret.fields[PulumiSignature.key] = Google_Protobuf_Value(stringValue: PulumiSignature.secret)
            secret.fields["value"] = try wireSecrets(try Google_Protobuf_Value(jsonString: plaintext))
            return secret
        }
        var copy = s
        for (key, value) in s.fields { copy.fields[key] = try wireSecrets(value) }
        return copy
    }

    private static func wireSecrets(_ v: Google_Protobuf_Value) throws -> Google_Protobuf_Value {
        switch v.kind {
        case .structValue(let s): return Google_Protobuf_Value(structValue: try wireSecrets(s))
        case .listValue(let l): return Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: try l.values.map(wireSecrets)))
        default: return v
        }
    }

    /// `Analyze`'s (and `Remediate`'s) request for one resource: its properties, parent and provider (with the
    /// provider's inputs).
    public static func analyze(_ stack: Stack, _ index: Int, properties: AnalyzedProperties = .inputs) throws
        -> Pulumirpc_AnalyzeRequest {
        let resource = stack.graph.resources[index]
        var request = Pulumirpc_AnalyzeRequest()
        request.type = resource.type
        request.urn = resource.urn.rawValue
        request.name = resource.name
        request.properties = try wire(properties == .inputs ? resource.inputs : resource.outputs)
        if let parent = resource.parent { request.options.parent = parent }
        if let p = stack.graph.provider(of: index) {
            let provider = stack.graph.resources[p]
            request.provider.type = provider.type
            request.provider.urn = provider.urn.rawValue
            request.provider.name = provider.name
            request.provider.properties = try wire(provider.inputs)
        }
        return request
    }

    /// `AnalyzeStack`'s request: every resource with outputs, parent, dependencies and property dependencies.
    public static func analyzeStack(_ stack: Stack) throws -> Pulumirpc_AnalyzeStackRequest {
        var request = Pulumirpc_AnalyzeStackRequest()
        for resource in stack.graph.resources {
            var wire = Pulumirpc_AnalyzerResource()
            wire.type = resource.type
            wire.urn = resource.urn.rawValue
            wire.name = resource.name
            wire.properties = try self.wire(resource.outputs)
            wire.parent = resource.parent ?? ""
            wire.dependencies = resource.dependencies
            for (property, urns) in resource.propertyDependencies {
                var deps = Pulumirpc_AnalyzerPropertyDependencies()
                deps.urns = urns
                wire.propertyDependencies[property] = deps
            }
            request.resources.append(wire)
        }
        return request
    }

    /// One policy's entry in a `Configure` request.
    public static func policyConfig(_ level: Pulumirpc_EnforcementLevel, _ properties: [String: Google_Protobuf_Value] = [:])
        -> Pulumirpc_PolicyConfig {
        var config = Pulumirpc_PolicyConfig()
        config.enforcementLevel = level
        if !properties.isEmpty { config.properties = Google_Protobuf_Struct(fields: properties) }
        return config
    }
}
