import NIOCore
import SwiftProtobuf

/// A response message serialized straight into the buffer that goes out in a DATA frame, after the 5-byte gRPC
/// prefix (uncompressed, length): SwiftProtobuf sizes the message, asks for that many bytes and writes into them.
struct GRPCFramedMessage: SwiftProtobufContiguousBytes {
    /// The prefix and the message.
    private(set) var buffer: ByteBuffer

    init(repeating byte: UInt8, count: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: GRPCMessageReader.prefixSize + count)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(truncatingIfNeeded: count))
        buffer.writeRepeatingByte(byte, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        let bytes = Array(sequence)
        self.init(repeating: 0, count: bytes.count)
        buffer.setBytes(bytes, at: GRPCMessageReader.prefixSize)
    }

    var count: Int { buffer.readableBytes - GRPCMessageReader.prefixSize }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0.dropFirst(GRPCMessageReader.prefixSize))) }
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes {
            try body(UnsafeMutableRawBufferPointer(rebasing: $0.dropFirst(GRPCMessageReader.prefixSize)))
        }
    }

    /// `message` framed for a DATA frame. Map entries (a policy's config schema) are written in key order, so equal
    /// responses are equal bytes.
    static func encode(_ message: some Message) throws -> ByteBuffer {
        let framed: GRPCFramedMessage = try message.serializedBytes(options: Self.deterministic)
        return framed.buffer
    }

    private static let deterministic: BinaryEncodingOptions = {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return options
    }()
}
