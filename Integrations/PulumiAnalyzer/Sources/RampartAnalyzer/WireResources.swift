import NIOCore
import RampartModel

/// A resource as the engine sends it: an `AnalyzeRequest` (`Analyze`, `Remediate`) or one `AnalyzerResource` of an
/// `AnalyzeStackRequest`, decoded from the request's bytes by `ProtobufReader` (pulumi/proto/pulumi/analyzer.proto).
struct WireResource {
    struct Options {
        var protect = false
        var additionalSecretOutputs: [String] = []
        var aliases: [String] = []
        var parent = ""
    }

    struct Provider {
        var type = ""
        var urn = ""
        /// The provider's inputs; `AnalyzeStack` does not read them.
        var properties: PropertyValue?
    }

    var type = ""
    var urn = ""
    /// Inputs for `Analyze` and `Remediate`, outputs for `AnalyzeStack` (`{}` when the request has none).
    var properties: PropertyValue?
    var options = Options()
    var provider: Provider?
    /// `AnalyzerResource` only: the parent URN, dependencies and property dependencies (in key order, empty lists left out).
    var parent = ""
    var dependencies: [String] = []
    var propertyDependencies: [(property: String, urns: [String])] = []
}

/// Decodes the engine's resources and builds the synthetic stack Rampart evaluates from them: one resource (and its
/// provider) for `Analyze`, every resource with its links for `AnalyzeStack`.
enum WireResources {
    // MARK: - Decoding

    /// The resource of an `AnalyzeRequest` (`Analyze`, `Remediate`).
    static func analyzeRequest(_ bytes: ByteBuffer, method: AnalyzerMethod) throws(AnalyzerError) -> WireResource {
        try bytes.readableBytesSpan.withUnsafeBytes { raw throws(AnalyzerError) in
            var reader = ProtobufReader(raw.assumingMemoryBound(to: UInt8.self), method: method.name)
            return try resource(&reader, ofStack: false)
        }
    }

    /// The resources of an `AnalyzeStackRequest` (repeated field 1), in engine order.
    static func analyzeStackRequest(_ bytes: ByteBuffer) throws(AnalyzerError) -> [WireResource] {
        try bytes.readableBytesSpan.withUnsafeBytes { raw throws(AnalyzerError) in
            var reader = ProtobufReader(raw.assumingMemoryBound(to: UInt8.self), method: AnalyzerMethod.analyzeStack.name)
            var resources: [WireResource] = []
            while let (number, type) = try reader.nextField() {
                guard number == 1 else { try reader.skip(type); continue }
                guard type == .lengthDelimited else { throw reader.mismatch(number, type) }
                var message = reader.reader(of: try reader.lengthDelimited())
                resources.append(try resource(&message, ofStack: true))
            }
            return resources
        }
    }

    /// An `AnalyzeRequest`'s fields 1–6, or an `AnalyzerResource`'s 1–9 when `ofStack`. A message field seen twice
    /// merges, as protobuf's decoders do.
    private static func resource(_ reader: inout ProtobufReader, ofStack: Bool) throws(AnalyzerError) -> WireResource {
        var resource = WireResource()
        var properties: [Range<Int>] = []
        var provider: (type: String, urn: String, properties: [Range<Int>])?
        // A map, as SwiftProtobuf decodes it: a key sent twice keeps its last entry (under its first spelling).
        var propertyDependencies: [String: [String]] = [:]
        while let (number, type) = try reader.nextField() {
            guard number <= (ofStack ? 9 : 6), number != 4 else { try reader.skip(type); continue }  // 4: the name
            guard type == .lengthDelimited else { throw reader.mismatch(number, type) }
            switch number {
            case 1: resource.type = try reader.string()
            case 2: properties.append(try reader.lengthDelimited())
            case 3: resource.urn = try reader.string()
            case 5:
                var options = reader.reader(of: try reader.lengthDelimited())
                try decodeOptions(&options, into: &resource.options)
            case 6:
                var fields = reader.reader(of: try reader.lengthDelimited())
                var current = provider ?? ("", "", [])
                while let (field, fieldType) = try fields.nextField() {
                    guard field <= 3 else { try fields.skip(fieldType); continue }
                    guard fieldType == .lengthDelimited else { throw fields.mismatch(field, fieldType) }
                    switch field {
                    case 1: current.type = try fields.string()
                    case 2: current.properties.append(try fields.lengthDelimited())
                    default: current.urn = try fields.string()
                    }
                }
                provider = current
            case 7: resource.parent = try reader.string()
            case 8: resource.dependencies.append(try reader.string())
            default:  // 9: map<string, AnalyzerPropertyDependencies>
                var entry = reader.reader(of: try reader.lengthDelimited())
                var key = "", urns: [String] = []
                while let (field, fieldType) = try entry.nextField() {
                    guard field <= 2 else { try entry.skip(fieldType); continue }
                    guard fieldType == .lengthDelimited else { throw entry.mismatch(field, fieldType) }
                    if field == 1 {
                        key = try entry.string()
                        continue
                    }
                    // A map entry's value seen twice merges too: its URNs add up.
                    var dependencies = entry.reader(of: try entry.lengthDelimited())
                    while let (urnField, urnType) = try dependencies.nextField() {
                        guard urnField == 1 else { try dependencies.skip(urnType); continue }
                        guard urnType == .lengthDelimited else { throw dependencies.mismatch(urnField, urnType) }
                        urns.append(try dependencies.string())
                    }
                }
                propertyDependencies[key] = urns
            }
        }
        resource.properties = try WireValues.propertyValue(properties, in: reader)
        if let provider {
            resource.provider = WireResource.Provider(
                type: provider.type, urn: provider.urn,
                properties: ofStack ? nil : try WireValues.propertyValue(provider.properties, in: reader))
        }
        resource.propertyDependencies = propertyDependencies.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { (property: $0.key, urns: $0.value) }
        return resource
    }

    /// `AnalyzerResourceOptions`: protect (1), additionalSecretOutputs (5), aliases (6), parent (8).
    private static func decodeOptions(_ reader: inout ProtobufReader, into options: inout WireResource.Options) throws(AnalyzerError) {
        while let (number, type) = try reader.nextField() {
            switch number {
            case 1:
                guard type == .varint else { throw reader.mismatch(number, type) }
                options.protect = try reader.bool()
            case 5, 6, 8:
                guard type == .lengthDelimited else { throw reader.mismatch(number, type) }
                let text = try reader.string()
                switch number {
                case 5: options.additionalSecretOutputs.append(text)
                case 6: options.aliases.append(text)
                default: options.parent = text
                }
            default: try reader.skip(type)
            }
        }
    }

    // MARK: - The stacks Rampart evaluates

    /// `Analyze`/`Remediate`: the resource first (index 0), its provider second when the engine resolved one.
    static func stack(analyzing wire: WireResource, identity: StackIdentity?) throws(AnalyzerError) -> Stack {
        var resource = try makeResource(urn: wire.urn, type: wire.type, field: "urn")
        resource.inputs = wire.properties
        if !wire.options.parent.isEmpty { resource.parent = wire.options.parent }
        resource.protect = wire.options.protect
        resource.additionalSecretOutputs = wire.options.additionalSecretOutputs
        resource.aliases = wire.options.aliases
        var resources = [resource]
        if let wireProvider = wire.provider, !wireProvider.urn.isEmpty {
            var provider = try makeResource(urn: wireProvider.urn, type: wireProvider.type, field: "provider.urn")
            if let inputs = wireProvider.properties { provider.inputs = inputs }
            // The engine does not send the provider's ID; the URN alone links the two.
            resources[0].provider = ProviderReference(urn: wireProvider.urn, id: PulumiSignature.unknown)
            resources.append(provider)
        }
        return Stack(identity: identity ?? stackIdentity(of: resources[0].urn), source: "pulumi engine (Analyze)",
                     kind: .engineEvents, propertySource: .inputs, graph: ResourceGraph(resources: resources))
    }

    /// `AnalyzeStack`: every resource with outputs, parents, dependencies and property dependencies, in engine order.
    static func stack(of wires: [WireResource], identity: StackIdentity?) throws(AnalyzerError) -> Stack {
        var resources: [Resource] = []
        resources.reserveCapacity(wires.count)
        for (i, wire) in wires.enumerated() {
            var resource = try makeResource(urn: wire.urn, type: wire.type, field: "resources[\(i)].urn")
            resource.outputs = wire.properties
            let parent = wire.parent.isEmpty ? wire.options.parent : wire.parent
            if !parent.isEmpty { resource.parent = parent }
            resource.dependencies = wire.dependencies
            resource.propertyDependencies = wire.propertyDependencies
            if let provider = wire.provider, !provider.urn.isEmpty {
                resource.provider = ProviderReference(urn: provider.urn, id: PulumiSignature.unknown)
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
