@testable import RampartAnalyzer
import RampartJSON
import RampartModel
import SwiftProtobuf
import Testing

/// The engine's `Struct` properties as Rampart's property values: members sorted, secrets kept as decrypted secrets,
/// unknowns and output values read as Pulumi means them.
@Suite struct WireValuesTests {
    static func value(_ kind: Google_Protobuf_Value.OneOf_Kind) -> Google_Protobuf_Value {
        var value = Google_Protobuf_Value()
        value.kind = kind
        return value
    }

    static func object(_ members: [String: Google_Protobuf_Value]) -> Google_Protobuf_Struct {
        var fields = Google_Protobuf_Struct()
        fields.fields = members
        return fields
    }

    /// The property value Rampart reads from `properties` as the engine sends it: serialized by SwiftProtobuf, then
    /// decoded from its bytes.
    static func propertyValue(_ properties: Google_Protobuf_Struct) throws -> PropertyValue {
        let bytes: [UInt8] = try properties.serializedBytes()
        return try bytes.withUnsafeBufferPointer { buffer in
            try WireValues.propertyValue([0..<buffer.count], in: ProtobufReader(buffer, method: "Analyze"))
        }
    }

    static func text(_ value: PropertyValue) -> String {
        var writer = JSONWriter()
        writer.node(value.node)
        return writer.string
    }

    @Test func membersAreWrittenSortedAndScalarsAsJSON() throws {
        let properties = Self.object([
            "zeta": Self.value(.numberValue(3)), "alpha": Self.value(.stringValue("a \"quoted\" é")),
            "list": Self.value(.listValue(Google_Protobuf_ListValue(values: [Self.value(.boolValue(true)), Self.value(.nullValue(.nullValue)),
                                                                             Self.value(.numberValue(.nan)), Self.value(.numberValue(1.5))]))),
            "nested": Self.value(.structValue(Self.object(["b": Self.value(.numberValue(-0.0)), "a": Self.value(.stringValue(""))]))),
        ])
        let value = try Self.propertyValue(properties)
        #expect(Self.text(value) == #"{"alpha":"a \"quoted\" é","list":[true,null,null,1.5],"nested":{"a":"","b":0},"zeta":3}"#)
        #expect(value.kind == .object)
    }

    @Test func secretsBecomeDecryptedSecretsAndUnknownsStayUnknown() throws {
        let secret = Self.object([PulumiSignature.key: Self.value(.stringValue(PulumiSignature.secret)),
                                  "value": Self.value(.structValue(Self.object(["pw": Self.value(.stringValue("hunter2"))])))])
        let output = Self.object([PulumiSignature.key: Self.value(.stringValue(PulumiSignature.outputValue)),
                                  "value": Self.value(.stringValue("s3cr3t")), "secret": Self.value(.boolValue(true))])
        let pending = Self.object([PulumiSignature.key: Self.value(.stringValue(PulumiSignature.outputValue))])
        let properties = Self.object([
            "secret": Self.value(.structValue(secret)), "output": Self.value(.structValue(output)),
            "pending": Self.value(.structValue(pending)), "unknown": Self.value(.stringValue(PulumiSignature.unknown)),
        ])
        let value = try Self.propertyValue(properties)
        #expect(value["secret"]?.kind == .secret)
        guard case .decrypted(let inner)? = value["secret"]?.secret else {
            Issue.record("the secret is not decrypted")
            return
        }
        #expect(Self.text(inner) == #"{"pw":"hunter2"}"#)
        #expect(value["output"]?.kind == .secret)
        #expect(value["pending"]?.kind == .unknown)
        #expect(value["unknown"]?.kind == .unknown)
    }
}
