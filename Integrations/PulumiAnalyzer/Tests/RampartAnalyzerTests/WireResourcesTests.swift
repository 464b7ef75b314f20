import NIOCore
import PulumiRPC
@testable import RampartAnalyzer
import RampartJSON
import RampartModel
import SwiftProtobuf
import Testing

/// The engine's `Analyze`, `Remediate` and `AnalyzeStack` requests decoded from their bytes, as SwiftProtobuf decodes
/// the same bytes: every field Rampart reads, protobuf's merging of fields sent twice, and located refusals of bytes
/// that are not the message.
@Suite struct WireResourcesTests {
    static let bucketURN = "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::assets"
    static let providerURN = "urn:pulumi:dev::shop::pulumi:providers:aws::default"

    // The wire values' builders are `WireValuesTests`'.
    static func value(_ kind: Google_Protobuf_Value.OneOf_Kind) -> Google_Protobuf_Value { WireValuesTests.value(kind) }
    static func object(_ members: [String: Google_Protobuf_Value]) -> Google_Protobuf_Struct { WireValuesTests.object(members) }

    static func text(_ value: PropertyValue?) -> String {
        guard let value else { return "nil" }
        var writer = JSONWriter()
        writer.node(value.node)
        return writer.string
    }

    static func analyze(_ bytes: [UInt8]) throws(AnalyzerError) -> WireResource {
        try WireResources.analyzeRequest(ByteBuffer(bytes: bytes), method: .analyze)
    }

    @Test func anAnalyzeRequestBecomesItsResourceAndItsProvider() throws {
        var request = Pulumirpc_AnalyzeRequest()
        request.type = "aws:s3/bucket:Bucket"
        request.urn = Self.bucketURN
        request.name = "assets"
        request.properties = Self.object(["versioning": Self.value(.structValue(Self.object(["enabled": Self.value(.boolValue(false))]))),
                                          "acl": Self.value(.stringValue("private"))])
        request.options.protect = true
        request.options.parent = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev"
        request.options.aliases = ["urn:pulumi:dev::shop::aws:s3/bucket:Bucket::old"]
        request.options.additionalSecretOutputs = ["arn"]
        request.options.ignoreChanges = ["tags"]
        request.provider.type = "pulumi:providers:aws"
        request.provider.urn = Self.providerURN
        request.provider.properties = Self.object(["region": Self.value(.stringValue("eu-west-1"))])

        let resource = try Self.analyze(try request.serializedBytes())
        #expect(resource.type == "aws:s3/bucket:Bucket")
        #expect(Self.text(resource.properties) == #"{"acl":"private","versioning":{"enabled":false}}"#)
        #expect(resource.options.protect && resource.options.aliases == request.options.aliases)
        #expect(resource.options.additionalSecretOutputs == ["arn"])
        #expect(Self.text(resource.provider?.properties) == #"{"region":"eu-west-1"}"#)

        let stack = try WireResources.stack(analyzing: resource, identity: nil)
        #expect(stack.graph.resources.count == 2)
        let bucket = stack.graph.resources[0]
        #expect(bucket.urn.rawValue == Self.bucketURN && bucket.parent == request.options.parent && bucket.protect)
        #expect(bucket.provider?.urn == Self.providerURN)
        #expect(Self.text(stack.graph.resources[1].inputs) == #"{"region":"eu-west-1"}"#)
        #expect(stack.identity.stack == "dev" && stack.identity.project == "shop")
    }

    @Test func aRequestWithoutPropertiesOrProviderIsAnEmptyObjectAlone() throws {
        var request = Pulumirpc_AnalyzeRequest()
        request.type = "random:index/randomId:RandomId"
        request.urn = "urn:pulumi:dev::shop::random:index/randomId:RandomId::id"
        let resource = try Self.analyze(try request.serializedBytes())
        #expect(Self.text(resource.properties) == "{}")
        #expect(resource.provider == nil)
        #expect(try WireResources.stack(analyzing: resource, identity: nil).graph.resources.count == 1)
    }

    @Test func anAnalyzeStackRequestKeepsParentsDependenciesAndPropertyDependencies() throws {
        var bucket = Pulumirpc_AnalyzerResource()
        bucket.type = "aws:s3/bucket:Bucket"
        bucket.urn = Self.bucketURN
        bucket.properties = Self.object(["arn": Self.value(.stringValue("arn:aws:s3:::assets"))])
        bucket.options.parent = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev"
        bucket.provider.urn = Self.providerURN
        var policy = Pulumirpc_AnalyzerResource()
        policy.type = "aws:s3/bucketPolicy:BucketPolicy"
        policy.urn = "urn:pulumi:dev::shop::aws:s3/bucketPolicy:BucketPolicy::assets"
        policy.parent = Self.bucketURN
        policy.options.parent = "ignored when parent is set"
        policy.dependencies = [Self.bucketURN]
        var urns = Pulumirpc_AnalyzerPropertyDependencies()
        urns.urns = [Self.bucketURN]
        policy.propertyDependencies = ["policy": urns, "bucket": urns, "tags": Pulumirpc_AnalyzerPropertyDependencies()]
        var request = Pulumirpc_AnalyzeStackRequest()
        request.resources = [bucket, policy]

        let resources = try WireResources.analyzeStackRequest(ByteBuffer(bytes: try request.serializedBytes() as [UInt8]))
        let stack = try WireResources.stack(of: resources, identity: nil)
        #expect(stack.graph.resources.count == 2)
        let (first, second) = (stack.graph.resources[0], stack.graph.resources[1])
        #expect(first.parent == bucket.options.parent && first.provider?.urn == Self.providerURN)
        #expect(Self.text(first.outputs) == #"{"arn":"arn:aws:s3:::assets"}"#)
        #expect(second.parent == Self.bucketURN && second.dependencies == [Self.bucketURN])
        #expect(second.propertyDependencies.map(\.property) == ["bucket", "policy"])
        #expect(second.propertyDependencies.allSatisfy { $0.urns == [Self.bucketURN] })
    }

    @Test func fieldsSentTwiceMergeAsProtobufMergesThem() throws {
        var first = Pulumirpc_AnalyzeRequest()
        first.urn = Self.bucketURN
        first.properties = Self.object(["a": Self.value(.numberValue(1)), "b": Self.value(.numberValue(2))])
        first.options.aliases = ["one"]
        var second = Pulumirpc_AnalyzeRequest()
        second.type = "aws:s3/bucket:Bucket"
        second.properties = Self.object(["b": Self.value(.numberValue(3)), "c": Self.value(.numberValue(4))])
        second.options.protect = true
        second.options.aliases = ["two"]
        let bytes: [UInt8] = try first.serializedBytes() + second.serializedBytes()

        let resource = try Self.analyze(bytes)
        let merged = try Pulumirpc_AnalyzeRequest(serializedBytes: bytes)
        #expect(Self.text(resource.properties) == Self.referenceText(merged.properties))
        #expect(Self.text(resource.properties) == #"{"a":1,"b":3,"c":4}"#)
        #expect(resource.urn == merged.urn && resource.type == merged.type)
        #expect(resource.options.protect && resource.options.aliases == merged.options.aliases)

        // Canonically equivalent keys are one key: the first spelling with the last value, as in SwiftProtobuf's map.
        first.properties = Self.object(["\u{E9}": Self.value(.numberValue(1)), "f": Self.value(.numberValue(0))])
        second.properties = Self.object(["e\u{301}": Self.value(.numberValue(2))])
        let equivalent: [UInt8] = try first.serializedBytes() + second.serializedBytes()
        let reference = Self.referenceText(try Pulumirpc_AnalyzeRequest(serializedBytes: equivalent).properties)
        #expect(Self.text(try Self.analyze(equivalent).properties) == reference)
        #expect(reference == "{\"f\":0,\"\u{E9}\":2}")
    }

    @Test func structsDecodeAsSwiftProtobufDecodesThem() throws {
        var random = SplitMix(seed: 21)
        for _ in 0..<300 {
            var request = Pulumirpc_AnalyzeRequest()
            request.urn = Self.bucketURN
            request.properties = Self.randomStruct(&random, depth: 0)
            let bytes: [UInt8] = try request.serializedBytes()
            let decoded = try Pulumirpc_AnalyzeRequest(serializedBytes: bytes)
            #expect(Self.text(try Self.analyze(bytes).properties) == Self.referenceText(decoded.properties))
        }
    }

    /// Type tokens and URNs are read as SwiftProtobuf reads them, ASCII or not; a byte of 0x80 or more anywhere, in a
    /// whole word or in the bytes after the last, sends a string to full validation.
    @Test func stringFieldsReadAsciiAndOtherUnicodeAlike() throws {
        for urn in [Self.bucketURN, "urn:pulumi:dév::shop::aws:s3/bucket:Bucket::ünïcode-日本", "é", ""] {
            var request = Pulumirpc_AnalyzeRequest()
            request.urn = urn
            request.type = String(urn.reversed())
            let decoded = try Self.analyze(try request.serializedBytes())
            #expect(decoded.urn == urn && decoded.type == request.type)
        }
        for length in 0..<24 {
            let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(ascii.withUnsafeBufferPointer { ProtobufReader.isASCII($0) })
            for position in 0..<length {
                var high = ascii
                high[position] = 0x80
                #expect(!high.withUnsafeBufferPointer { ProtobufReader.isASCII($0) }, "length \(length), position \(position)")
            }
        }
    }

    @Test func bytesThatAreNotTheMessageAreRefusedNamingTheMethodAndTheByte() throws {
        var request = Pulumirpc_AnalyzeRequest()
        request.urn = Self.bucketURN
        request.properties = Self.object(["acl": Self.value(.stringValue("private"))])
        let valid: [UInt8] = try request.serializedBytes()
        var deep = Self.value(.stringValue("leaf"))
        for _ in 0..<(WireStructTranscoder.depthLimit + 5) { deep = Self.value(.listValue(Google_Protobuf_ListValue(values: [deep]))) }
        var deepRequest = Pulumirpc_AnalyzeRequest()
        deepRequest.properties = Self.object(["deep": deep])

        let cases: [(bytes: [UInt8], reason: String)] = [
            (Array(valid.dropLast()), "past the end of its message"),
            (valid + [0x1B], "wire type 3"),  // field 3 as a group
            ([0x1A, 0x02, 0xC3, 0x28], "not valid UTF-8"),  // the URN
            ([0x1A, 0x80], "truncated or overlong varint"),
            ([0x08, 0x01], "field 1 has wire type 0"),  // the type as a number
            (try deepRequest.serializedBytes(), "nested more than \(WireStructTranscoder.depthLimit) levels"),
        ]
        for (bytes, reason) in cases {
            #expect {
                _ = try Self.analyze(bytes)
            } throws: { error in
                guard case .undecodableRequest(let method, let message)? = error as? AnalyzerError else { return false }
                return method == "Analyze" && message.contains(reason)
            }
        }
        // A property string that is not UTF-8 is found where the JSON it becomes is read, with its path.
        let value: [UInt8] = [0x1A, 0x02, 0xFF, 0xFE]  // string_value, two bytes that are not UTF-8
        let entry: [UInt8] = [0x0A, 0x01, 0x78, 0x12, UInt8(value.count)] + value  // key "x", then the value
        let structure: [UInt8] = [0x0A, UInt8(entry.count)] + entry
        let badString: [UInt8] = [0x12, UInt8(structure.count)] + structure  // the request's properties
        #expect {
            _ = try Self.analyze(badString)
        } throws: { error in
            guard case .invalidWireValue(let path, _)? = error as? AnalyzerError else { return false }
            return path.contains("x")
        }
    }

    // MARK: - The reference: SwiftProtobuf's Struct, written member by member in sorted order

    static func referenceText(_ properties: Google_Protobuf_Struct) -> String {
        var writer = JSONWriter()
        write(properties, into: &writer)
        let node = try! JSONDocument.parse(writer.bytes, marking: PulumiSignature.marked).root
        return text(PropertyValue(node: node))
    }

    static func write(_ fields: Google_Protobuf_Struct, into writer: inout JSONWriter) {
        writer.beginObject()
        for key in fields.fields.keys.sorted() {
            writer.key(key)
            write(fields.fields[key]!, into: &writer)
        }
        writer.endObject()
    }

    static func write(_ value: Google_Protobuf_Value, into writer: inout JSONWriter) {
        switch value.kind {
        case .nullValue, .none: writer.null()
        case .boolValue(let b): writer.bool(b)
        case .numberValue(let n): if n.isFinite { writer.number(n) } else { writer.null() }
        case .stringValue(let s): writer.string(s)
        case .listValue(let list):
            writer.beginArray()
            for element in list.values { write(element, into: &writer) }
            writer.endArray()
        case .structValue(let object): write(object, into: &writer)
        }
    }

    // MARK: - Random values

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Keys that sort differently as bytes and as strings, canonically equivalent pairs, and ones that need escaping.
    static let keys = ["a", "B", "b", "aa", "é", "e\u{301}", "日本", "z\"q", "tab\t", "", "Z", "ß", "ä"]

    static func randomStruct(_ random: inout SplitMix, depth: Int) -> Google_Protobuf_Struct {
        var members: [String: Google_Protobuf_Value] = [:]
        for _ in 0..<random.next(depth == 0 ? 8 : 4) { members[keys[random.next(keys.count)]] = randomValue(&random, depth: depth + 1) }
        return object(members)
    }

    static func randomValue(_ random: inout SplitMix, depth: Int) -> Google_Protobuf_Value {
        switch random.next(depth > 4 ? 5 : 7) {
        case 0: return value(.nullValue(.nullValue))
        case 1: return value(.boolValue(random.next(2) == 1))
        case 2: return value(.numberValue([0, -0.0, 1.5, 1e300, .nan, .infinity, 42, -7][random.next(8)]))
        case 3: return value(.stringValue(["", "plain", "quote \" and \\", "line\nbreak", "é", PulumiSignature.unknown][random.next(6)]))
        case 4: return Google_Protobuf_Value()  // no kind: null
        case 5: return value(.listValue(Google_Protobuf_ListValue(values: (0..<random.next(4)).map { _ in randomValue(&random, depth: depth + 1) })))
        default: return value(.structValue(randomStruct(&random, depth: depth)))
        }
    }
}
