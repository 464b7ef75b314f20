import NIOCore

/// Writes the server's frames into one buffer, which goes to the socket once per read (RFC 9113, section 6).
struct HTTP2FrameWriter {
    private(set) var bytes = ByteBuffer()

    var isEmpty: Bool { bytes.readableBytes == 0 }

    /// The frames written so far; the writer starts again empty.
    mutating func take() -> ByteBuffer {
        defer { bytes = ByteBuffer() }
        return bytes
    }

    mutating func settings(_ parameters: [(id: UInt16, value: UInt32)]) {
        header(length: 6 * parameters.count, type: .settings, flags: 0, stream: 0)
        for parameter in parameters {
            bytes.writeInteger(parameter.id)
            bytes.writeInteger(parameter.value)
        }
    }

    mutating func settingsAck() {
        header(length: 0, type: .settings, flags: HTTP2InboundFrame.ack, stream: 0)
    }

    mutating func pingAck(_ payload: ByteBuffer) {
        header(length: payload.readableBytes, type: .ping, flags: HTTP2InboundFrame.ack, stream: 0)
        bytes.writeImmutableBuffer(payload)
    }

    mutating func windowUpdate(stream: UInt32, increment: Int) {
        header(length: 4, type: .windowUpdate, flags: 0, stream: stream)
        bytes.writeInteger(UInt32(increment))
    }

    mutating func rstStream(_ stream: UInt32, _ code: HTTP2ErrorCode) {
        header(length: 4, type: .rstStream, flags: 0, stream: stream)
        bytes.writeInteger(code.rawValue)
    }

    mutating func goAway(lastStream: UInt32, _ code: HTTP2ErrorCode, reason: String) {
        let debug = Array(reason.utf8.prefix(1024))
        header(length: 8 + debug.count, type: .goAway, flags: 0, stream: 0)
        bytes.writeInteger(lastStream)
        bytes.writeInteger(code.rawValue)
        bytes.writeBytes(debug)
    }

    /// A header block in one HEADERS frame, or in HEADERS and CONTINUATION frames when it is longer than the client's
    /// largest frame.
    mutating func headers(_ stream: UInt32, _ block: [UInt8], endStream: Bool, maxFrameSize: Int) {
        var start = 0
        repeat {
            let end = min(block.count, start + maxFrameSize)
            var flags: UInt8 = end == block.count ? HTTP2InboundFrame.endHeaders : 0
            if start == 0 && endStream { flags |= HTTP2InboundFrame.endStream }
            header(length: end - start, type: start == 0 ? .headers : .continuation, flags: flags, stream: stream)
            bytes.writeBytes(block[start..<end])
            start = end
        } while start < block.count
    }

    mutating func data(_ stream: UInt32, _ payload: ByteBuffer, endStream: Bool) {
        header(length: payload.readableBytes, type: .data, flags: endStream ? HTTP2InboundFrame.endStream : 0, stream: stream)
        bytes.writeImmutableBuffer(payload)
    }

    private mutating func header(length: Int, type: HTTP2InboundFrame.Kind, flags: UInt8, stream: UInt32) {
        bytes.writeInteger(UInt8(truncatingIfNeeded: length >> 16))
        bytes.writeInteger(UInt16(truncatingIfNeeded: length))
        bytes.writeInteger(type.rawValue)
        bytes.writeInteger(flags)
        bytes.writeInteger(stream)
    }
}
