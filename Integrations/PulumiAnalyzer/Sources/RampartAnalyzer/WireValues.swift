import PulumiRPC
import RampartJSON
import RampartModel
import RampartPolicy
import SwiftProtobuf

/// Converts between protobuf `Struct` values as the engine marshals them (`KeepUnknowns`, `KeepSecrets`) and
/// Rampart's property values, without losing secrets or unknowns:
/// - a wire secret `{sig: secret, value: V}` becomes Rampart's decrypted secret `{sig: secret, plaintext: "<V as JSON>"}`
///   (and back), so policies see the value, know it is secret, and reports redact it;
/// - unknowns stay the sentinel string, which `PropertyValue` reads as `.unknown`;
/// - an output value `{sig: output, value?, secret?}` becomes its value (a secret if flagged, unknown if absent);
/// - assets, archives and resource references keep their signature objects unchanged.
/// Object members are written sorted by key, since `Struct` fields have no order.
enum WireValues {
    // MARK: - Wire → Rampart

    /// The property value of a resource's `properties` Struct (inputs or outputs), from the Struct's wire bytes: `parts`
    /// are the field's occurrences in its message (protobuf merges a message field seen twice; Pulumi sends one).
    static func propertyValue(_ parts: [Range<Int>], in reader: ProtobufReader) throws(AnalyzerError) -> PropertyValue {
        var transcoder = WireStructTranscoder(reader: reader)
        var writer = JSONWriter()
        try transcoder.writeStruct(parts, into: &writer)
        do { return PropertyValue(node: try JSONDocument.parse(writer.finalBytes(), marking: PulumiSignature.marked).root) } catch {
            throw .invalidWireValue(path: error.path, reason: error.reasonDescription)
        }
    }

    // MARK: - Rampart → wire

    /// The wire Struct for a property value that is an object (remediated inputs).
    static func wireStruct(_ value: PropertyValue) -> Google_Protobuf_Struct {
        if case .structValue(let s)? = wireValue(value).kind { return s }
        return Google_Protobuf_Struct()
    }

    static func wireValue(_ value: PropertyValue) -> Google_Protobuf_Value {
        switch value.kind {
        case .secret:
            var wrapped = Google_Protobuf_Struct()
            wrapped.fields[PulumiSignature.key] = Google_Protobuf_Value(stringValue: PulumiSignature.secret)
            switch value.secret {
            case .decrypted(let inner)?: wrapped.fields["value"] = wireValue(inner)
            // Ciphertext cannot go back to the engine as a value; it stays an opaque secret string.
            default: wrapped.fields["value"] = Google_Protobuf_Value(stringValue: PulumiSignature.blindedSecret)
            }
            return Google_Protobuf_Value(structValue: (wrapped))
        case .unknown:
            return Google_Protobuf_Value(stringValue: PulumiSignature.unknown)
        case .array:
            return Google_Protobuf_Value(listValue: (Google_Protobuf_ListValue(values: value.elements.map(wireValue))))
        case .object:
            var s = Google_Protobuf_Struct()
            for (key, member) in value.members { s.fields[key] = wireValue(member) }
            return Google_Protobuf_Value(structValue: (s))
        default:
            return wireValue(value.node)
        }
    }

    /// A JSON node as it is: scalars, and signature objects (assets, archives, references) member by member.
    static func wireValue(_ node: JSONNode) -> Google_Protobuf_Value {
        switch node.kind {
        case .null: return Google_Protobuf_Value(nilLiteral: ())
        case .bool: return Google_Protobuf_Value(boolValue: node.bool ?? false)
        case .number: return Google_Protobuf_Value(numberValue: node.number ?? 0)
        case .string: return Google_Protobuf_Value(stringValue: node.string ?? "")
        case .array:
            return Google_Protobuf_Value(listValue: (Google_Protobuf_ListValue(values: node.elements.map(wireValue))))
        case .object:
            var s = Google_Protobuf_Struct()
            for (key, member) in node.members { s.fields[key.string ?? ""] = wireValue(member) }
            return Google_Protobuf_Value(structValue: (s))
        }
    }

    // MARK: - Policy config

    static func configValue(_ value: Google_Protobuf_Value) -> ConfigValue {
        switch value.kind {
        case .nullValue, .none: return .null
        case .boolValue(let b): return .bool(b)
        case .numberValue(let n): return .number(n)
        case .stringValue(let s): return .string(s)
        case .listValue(let list): return .array(list.values.map(configValue))
        case .structValue(let s): return .object(s.fields.mapValues(configValue))
        }
    }

    static func wireValue(_ value: ConfigValue) -> Google_Protobuf_Value {
        switch value {
        case .null: return Google_Protobuf_Value(nilLiteral: ())
        case .bool(let b): return Google_Protobuf_Value(boolValue: b)
        case .number(let n): return Google_Protobuf_Value(numberValue: n)
        case .string(let s): return Google_Protobuf_Value(stringValue: s)
        case .array(let a): return Google_Protobuf_Value(listValue: (Google_Protobuf_ListValue(values: a.map(wireValue))))
        case .object(let o):
            var s = Google_Protobuf_Struct()
            for (key, member) in o { s.fields[key] = wireValue(member) }
            return Google_Protobuf_Value(structValue: (s))
        }
    }
}
