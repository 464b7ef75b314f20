import NIOCore

/// One frame from the client, its payload a slice of the bytes read (RFC 9113, section 4.1).
struct HTTP2InboundFrame {
    /// The frame types this server acts on; any other type is read and ignored, as HTTP/2 requires.
    enum Kind: UInt8 {
        case data = 0x0, headers = 0x1, priority = 0x2, rstStream = 0x3, settings = 0x4, pushPromise = 0x5
        case ping = 0x6, goAway = 0x7, windowUpdate = 0x8, continuation = 0x9

        /// The type's name in RFC 9113, for messages.
        var name: String {
            switch self {
            case .data: "DATA"
            case .headers: "HEADERS"
            case .priority: "PRIORITY"
            case .rstStream: "RST_STREAM"
            case .settings: "SETTINGS"
            case .pushPromise: "PUSH_PROMISE"
            case .ping: "PING"
            case .goAway: "GOAWAY"
            case .windowUpdate: "WINDOW_UPDATE"
            case .continuation: "CONTINUATION"
            }
        }
    }

    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4
    static let padded: UInt8 = 0x8
    static let priority: UInt8 = 0x20

    let type: UInt8
    let flags: UInt8
    let stream: UInt32
    let payload: ByteBuffer

    /// Nil for a type this server does not know.
    var kind: Kind? { Kind(rawValue: type) }

    func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// The frame's type as RFC 9113 names it, for messages.
    var name: String { kind?.name ?? "a frame of type \(type)" }

    /// The payload without its padding (DATA and HEADERS with PADDED set): the pad length byte, then the content,
    /// then that many bytes of padding.
    func unpadded() throws(AnalyzerError) -> ByteBuffer {
        guard has(Self.padded) else { return payload }
        var content = payload
        guard let padding = content.readInteger(as: UInt8.self), Int(padding) <= content.readableBytes else {
            throw .connection(.protocolError, "stream \(stream): padding longer than the frame's \(payload.readableBytes) bytes")
        }
        return content.readSlice(length: content.readableBytes - Int(padding))!
    }
}

/// Splits the client's side of a connection into frames: the 24-byte client preface first, then frames of a 9-byte
/// header (length, type, flags, stream) and their payload. Bytes of an unfinished frame wait for the next read.
struct HTTP2FrameReader {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    /// SETTINGS_MAX_FRAME_SIZE as this server leaves it: HTTP/2's default, the largest frame a client may send.
    static let maxFrameSize = 16_384

    private var buffer = ByteBuffer()
    private var prefaceRead = false

    mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            // The unfinished frame (at most one frame's bytes) and the new read, in a buffer of their own: appending to
            // the old one would keep every byte read before it for as long as reads keep ending mid-frame.
            var joined = ByteBufferAllocator().buffer(capacity: buffer.readableBytes + bytes.readableBytes)
            joined.writeImmutableBuffer(buffer)
            joined.writeImmutableBuffer(bytes)
            buffer = joined
        }
    }

    /// The next whole frame; nil until its last byte has arrived.
    mutating func next() throws(AnalyzerError) -> HTTP2InboundFrame? {
        if !prefaceRead {
            let available = min(buffer.readableBytes, Self.preface.count)
            guard buffer.readableBytesView.prefix(available).elementsEqual(Self.preface.prefix(available)) else {
                throw .connection(.protocolError, "the connection does not start with HTTP/2's client preface (is the client speaking HTTP/1 or TLS?)")
            }
            guard available == Self.preface.count else { return nil }
            buffer.moveReaderIndex(forwardBy: available)
            prefaceRead = true
        }
        guard buffer.readableBytes >= 9, let high = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let low = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt16.self)
        else {
            // Let go of a read buffer that is all used, so `ServedConnection` reads into it again in place.
            if buffer.readableBytes == 0 { buffer = ByteBuffer() }
            return nil
        }
        let length = Int(high) << 16 | Int(low)
        guard length <= Self.maxFrameSize else {
            throw .connection(.frameSizeError, "a frame of \(length) bytes exceeds SETTINGS_MAX_FRAME_SIZE (\(Self.maxFrameSize))")
        }
        guard buffer.readableBytes >= 9 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 3)
        let type = buffer.readInteger(as: UInt8.self)!
        let flags = buffer.readInteger(as: UInt8.self)!
        let stream = buffer.readInteger(as: UInt32.self)! & 0x7FFF_FFFF
        let payload = buffer.readSlice(length: length)!
        return HTTP2InboundFrame(type: type, flags: flags, stream: stream, payload: payload)
    }
}
