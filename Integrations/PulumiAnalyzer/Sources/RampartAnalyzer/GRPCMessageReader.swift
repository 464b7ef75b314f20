import NIOCore

/// Reassembles the length-prefixed gRPC messages of one request stream from its DATA frames: a message may span
/// frames, and a frame may hold several messages. A message inside one frame is returned as a slice of that frame's
/// bytes, without a copy.
struct GRPCMessageReader {
    /// The prefix of every message: a compressed flag byte, then the length (4 bytes, big-endian).
    static let prefixSize = 5
    /// The largest message accepted; longer ones end the call as `RESOURCE_EXHAUSTED` before their bytes are kept.
    let maxMessageSize: Int
    /// Bytes received and not yet returned as messages.
    private var pending: ByteBuffer?

    /// What the bytes so far hold next.
    enum Next {
        case message(ByteBuffer)
        /// The rest of the message (or of its prefix) is in frames still to come.
        case incomplete
        /// The prefix announces a message this reader does not take: the status that ends the call.
        case refused(GRPCStatus)
    }

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Whether bytes of an unfinished message are waiting for more frames.
    var hasPartialMessage: Bool { (pending?.readableBytes ?? 0) > 0 }

    mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if pending == nil || pending!.readableBytes == 0 {
            pending = bytes
        } else {
            pending!.writeImmutableBuffer(bytes)
        }
    }

    /// The next whole message once its last byte has arrived.
    mutating func next() -> Next {
        guard var buffer = pending, buffer.readableBytes >= Self.prefixSize,
              let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self).map(Int.init)
        else { return .incomplete }
        guard flag == 0 else {
            return .refused(GRPCStatus(.unimplemented, "compressed messages are not supported; send them uncompressed (grpc-encoding identity)"))
        }
        guard length <= maxMessageSize else {
            return .refused(GRPCStatus(.resourceExhausted, "request message of \(length) bytes exceeds the limit of \(maxMessageSize) bytes"))
        }
        guard buffer.readableBytes >= Self.prefixSize + length else {
            // The rest arrives in later frames: keep the message in one buffer sized for it (up to 16 MiB ahead of
            // its bytes, so a prefix alone cannot make the reader allocate the whole limit).
            let reserved = min(Self.prefixSize + length, 16 << 20)
            if buffer.capacity - buffer.readerIndex < reserved {
                var grown = ByteBufferAllocator().buffer(capacity: reserved)
                grown.writeImmutableBuffer(buffer)
                pending = grown
            }
            return .incomplete
        }
        buffer.moveReaderIndex(forwardBy: Self.prefixSize)
        let message = buffer.readSlice(length: length)!
        pending = buffer.readableBytes > 0 ? buffer : nil
        return .message(message)
    }
}
