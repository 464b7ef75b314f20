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
    /// `response` framed for a DATA frame: the 5-byte gRPC prefix (uncompressed, length), then the message. Sized
    /// first, then written through one pointer: ByteBuffer's own writes check capacity and uniqueness per byte.
    static func framed(_ response: Pulumirpc_AnalyzeResponse) -> ByteBuffer {
        var length = 0
        for diagnostic in response.diagnostics { length += embedded(size(of: diagnostic)) }
        for skipped in response.notApplicable { length += embedded(size(of: skipped)) }
        let total = GRPCMessageReader.prefixSize + length
        var buffer = ByteBufferAllocator().buffer(capacity: total)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { space in
            var out = WireCursor(space.baseAddress!.assumingMemoryBound(to: UInt8.self))
            out.byte(0)
            out.bigEndian(UInt32(truncatingIfNeeded: length))
            for diagnostic in response.diagnostics {
                out.tag(2, lengthDelimited: true)
                out.varint(UInt64(size(of: diagnostic)))
                out.string(1, diagnostic.policyName)
                out.string(2, diagnostic.policyPackName)
                out.string(3, diagnostic.policyPackVersion)
                out.string(4, diagnostic.description_p)
                out.string(5, diagnostic.message)
                out.enumeration(7, diagnostic.enforcementLevel.rawValue)
                out.string(8, diagnostic.urn)
                out.enumeration(9, diagnostic.severity.rawValue)
            }
            for skipped in response.notApplicable {
                out.tag(3, lengthDelimited: true)
                out.varint(UInt64(size(of: skipped)))
                out.string(1, skipped.policyName)
                out.string(2, skipped.reason)
            }
            precondition(out.written == total, "AnalyzeResponseWriter sized \(total) bytes and wrote \(out.written)")
            return total
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

/// Writes protobuf's wire format through a pointer into space sized for it beforehand.
private struct WireCursor {
    private let base: UnsafeMutablePointer<UInt8>
    private(set) var written = 0

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

    mutating func byte(_ value: UInt8) {
        base[written] = value
        written &+= 1
    }

    mutating func bigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { byte(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func tag(_ field: UInt8, lengthDelimited: Bool) {
        byte(field << 3 | (lengthDelimited ? 2 : 0))
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    /// A string field: nothing when empty, as proto3 leaves out defaults.
    mutating func string(_ field: UInt8, _ value: String) {
        guard !value.isEmpty else { return }
        var value = value
        value.withUTF8 { utf8 in
            tag(field, lengthDelimited: true)
            varint(UInt64(utf8.count))
            (base + written).update(from: utf8.baseAddress!, count: utf8.count)
            written &+= utf8.count
        }
    }

    /// An enum field: nothing when 0.
    mutating func enumeration(_ field: UInt8, _ value: Int) {
        guard value != 0 else { return }
        tag(field, lengthDelimited: false)
        varint(UInt64(bitPattern: Int64(value)))
    }
}
