import NIOCore
import PulumiRPC

/// Writes an `AnalyzeResponse` (the answer to every `Analyze` and `AnalyzeStack` call) in protobuf's binary wire
/// format straight into the buffer of its DATA frame, after the gRPC prefix: the counterpart of `ProtobufReader` for
/// the hot calls' answers. SwiftProtobuf's encoder sizes and writes a message through generic visitors, which cost
/// more than the rest of a small answer's transport; this writes the handful of fields the runners set.
///
/// The bytes are those SwiftProtobuf writes (fields in number order, proto3 defaults left out), which
/// `AnalyzeResponseWriterTests` checks over real answers. The fields (pulumi/proto/pulumi/analyzer.proto):
/// `AnalyzeResponse` diagnostics (2), not_applicable (3); `AnalyzeDiagnostic` policyName (1), policyPackName (2),
/// policyPackVersion (3), description (4), message (5), enforcementLevel (7), urn (8), severity (9);
/// `PolicyNotApplicable` policy_name (1), reason (2). A field the runners start to set must be added here too.
enum AnalyzeResponseWriter {
    /// `response` framed for a DATA frame: the 5-byte gRPC prefix (uncompressed, length), then the message.
    static func framed(_ response: Pulumirpc_AnalyzeResponse) -> ByteBuffer {
        var length = 0
        for diagnostic in response.diagnostics { length += embedded(size(of: diagnostic)) }
        for skipped in response.notApplicable { length += embedded(size(of: skipped)) }
        var buffer = ByteBufferAllocator().buffer(capacity: GRPCMessageReader.prefixSize + length)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(truncatingIfNeeded: length))
        for diagnostic in response.diagnostics {
            buffer.writeTag(2, lengthDelimited: true)
            buffer.writeVarint(UInt64(size(of: diagnostic)))
            buffer.writeString(1, diagnostic.policyName)
            buffer.writeString(2, diagnostic.policyPackName)
            buffer.writeString(3, diagnostic.policyPackVersion)
            buffer.writeString(4, diagnostic.description_p)
            buffer.writeString(5, diagnostic.message)
            buffer.writeEnum(7, diagnostic.enforcementLevel.rawValue)
            buffer.writeString(8, diagnostic.urn)
            buffer.writeEnum(9, diagnostic.severity.rawValue)
        }
        for skipped in response.notApplicable {
            buffer.writeTag(3, lengthDelimited: true)
            buffer.writeVarint(UInt64(size(of: skipped)))
            buffer.writeString(1, skipped.policyName)
            buffer.writeString(2, skipped.reason)
        }
        return buffer
    }

    private static func size(of diagnostic: Pulumirpc_AnalyzeDiagnostic) -> Int {
        string(diagnostic.policyName) + string(diagnostic.policyPackName) + string(diagnostic.policyPackVersion)
            + string(diagnostic.description_p) + string(diagnostic.message) + enumeration(diagnostic.enforcementLevel.rawValue)
            + string(diagnostic.urn) + enumeration(diagnostic.severity.rawValue)
    }

    private static func size(of skipped: Pulumirpc_PolicyNotApplicable) -> Int {
        string(skipped.policyName) + string(skipped.reason)
    }

    /// A length-delimited field of `length` bytes with its one-byte tag (field numbers here are below 16).
    private static func embedded(_ length: Int) -> Int { 1 + varintSize(UInt64(length)) + length }

    /// A string field: nothing when empty, as proto3 leaves out defaults.
    private static func string(_ value: String) -> Int {
        value.isEmpty ? 0 : embedded(value.utf8.count)
    }

    /// An enum field: nothing when 0; negative values take ten bytes, as protobuf sign-extends them.
    private static func enumeration(_ value: Int) -> Int {
        value == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: Int64(value)))
    }

    static func varintSize(_ value: UInt64) -> Int {
        var size = 1, rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }
}

extension ByteBuffer {
    fileprivate mutating func writeTag(_ field: UInt8, lengthDelimited: Bool) {
        writeInteger(field << 3 | (lengthDelimited ? 2 : 0))
    }

    fileprivate mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        writeInteger(UInt8(rest))
    }

    fileprivate mutating func writeString(_ field: UInt8, _ value: String) {
        guard !value.isEmpty else { return }
        writeTag(field, lengthDelimited: true)
        writeVarint(UInt64(value.utf8.count))
        writeString(value)
    }

    fileprivate mutating func writeEnum(_ field: UInt8, _ value: Int) {
        guard value != 0 else { return }
        writeTag(field, lengthDelimited: false)
        writeVarint(UInt64(bitPattern: Int64(value)))
    }
}
