import NIOCore
import NIOHPACK

/// The server side of one HTTP/2 connection whose streams are unary gRPC calls, as a value: the client's bytes in,
/// the server's frames out (RFC 9113). Each stream is one call; it is answered as soon as its request ends, by the
/// `respond` function given with the bytes, on the caller's thread.
///
/// What it keeps per connection is what HTTP/2 obliges a server to keep: HPACK's decoding table, both directions'
/// flow-control windows, the calls still receiving their request, and responses waiting for the client's window.
/// A client that breaks the protocol gets GOAWAY with the reason, and the connection ends (`isClosing`).
struct HTTP2ServerConnection {
    /// What one connection may take in.
    struct Limits: Sendable {
        /// The largest request message (AnalyzeStack of a big stack; the Pulumi SDKs allow 400 MB).
        var maxMessageSize = 400 * 1024 * 1024
        /// Each stream's inbound window, advertised as SETTINGS_INITIAL_WINDOW_SIZE and refilled when half used.
        var streamWindow = 1 << 20
        /// The connection's inbound window, refilled when half used.
        var connectionWindow = 8 << 20
        var maxConcurrentStreams = 1024
        /// The largest header block (HEADERS and its CONTINUATION frames) before decoding, and the largest decoded
        /// header list, advertised as SETTINGS_MAX_HEADER_LIST_SIZE.
        var maxHeaderListSize = HPACKDecoder.defaultMaxHeaderListSize
    }

    typealias Responder = (AnalyzerMethod, ByteBuffer) -> AnalyzerService.Answer

    /// HTTP/2's initial windows before SETTINGS change them, and the largest window.
    private static let defaultWindow = 65_535
    private static let maxWindow = Int(Int32.max)

    /// A call whose request is still arriving.
    private struct OpenCall {
        var call: UnaryCall
        /// What the client may still send on this stream before the server's next WINDOW_UPDATE.
        var receiveWindow: Int
        /// WINDOW_UPDATE credit the client gave this stream before its response.
        var sendCredit = 0
    }

    /// A response that waits for the client's window: the rest of its message, then the trailers of a call that
    /// succeeded (a failed call has no message, so it never waits).
    private struct PendingResponse {
        let stream: UInt32
        var sendWindow: Int
        var message: ByteBuffer
    }

    /// A header block whose CONTINUATION frames are still to come.
    private struct PartialHeaderBlock {
        let stream: UInt32
        let endStream: Bool
        var bytes: ByteBuffer
    }

    let limits: Limits
    private var reader = HTTP2FrameReader()
    private var output = HTTP2FrameWriter()
    private var decoder: HPACKDecoder
    private var calls: [UInt32: OpenCall] = [:]
    private var pending: [PendingResponse] = []
    private var partialBlock: PartialHeaderBlock?
    /// The highest stream the client has opened; streams at or below it that are not open are closed.
    private var lastStream: UInt32 = 0
    private var receiveWindow: Int
    private var sendWindow = Self.defaultWindow
    /// The client's SETTINGS.
    private var clientInitialWindow = Self.defaultWindow
    private var clientMaxFrameSize = HTTP2FrameReader.maxFrameSize
    /// Set once GOAWAY for a protocol error is written: nothing more is read.
    private(set) var isClosing = false

    /// A connection whose first output is the server's preface: its SETTINGS, and a connection window update up to
    /// `limits.connectionWindow`.
    init(limits: Limits) {
        self.limits = limits
        decoder = HPACKDecoder(allocator: ByteBufferAllocator(), maxDynamicTableSize: HPACKDecoder.maxDynamicTableSize,
                               maxHeaderListSize: limits.maxHeaderListSize)
        output.settings([(id: 0x3, value: UInt32(limits.maxConcurrentStreams)),  // SETTINGS_MAX_CONCURRENT_STREAMS
                         (id: 0x4, value: UInt32(limits.streamWindow)),  // SETTINGS_INITIAL_WINDOW_SIZE
                         (id: 0x6, value: UInt32(limits.maxHeaderListSize))])  // SETTINGS_MAX_HEADER_LIST_SIZE
        receiveWindow = max(Self.defaultWindow, limits.connectionWindow)
        if receiveWindow > Self.defaultWindow {
            output.windowUpdate(stream: 0, increment: receiveWindow - Self.defaultWindow)
        }
    }

    /// The frames to send since the last call; nil when there are none.
    mutating func takeOutput() -> ByteBuffer? {
        output.isEmpty ? nil : output.take()
    }

    /// Reads the client's `bytes`, answering every call whose request they complete.
    mutating func receive(_ bytes: ByteBuffer, respond: Responder) {
        guard !isClosing else { return }
        reader.append(bytes)
        do throws(AnalyzerError) {
            while let frame = try reader.next() {
                try handle(frame, respond)
            }
        } catch {
            if case .connection(let code, let reason) = error {
                output.goAway(lastStream: lastStream, code, reason: reason)
            } else {
                output.goAway(lastStream: lastStream, .internalError, reason: error.description)
            }
            isClosing = true
        }
    }

    // MARK: - Frames

    private mutating func handle(_ frame: HTTP2InboundFrame, _ respond: Responder) throws(AnalyzerError) {
        if let block = partialBlock.take() {
            try continueHeaders(block, frame, respond)
            return
        }
        guard let kind = frame.kind else { return }  // unknown frame types are ignored
        switch kind {
        case .data:
            try data(frame, respond)
        case .headers:
            try headers(frame, respond)
        case .priority:
            try expect(frame, length: 5, onStream: true)
        case .rstStream:
            try expect(frame, length: 4, onStream: true)
            try requireOpened(frame)
            calls.removeValue(forKey: frame.stream)
            pending.removeAll { $0.stream == frame.stream }
        case .settings:
            try settings(frame)
        case .pushPromise:
            throw .connection(.protocolError, "a client may not send PUSH_PROMISE")
        case .ping:
            try expect(frame, length: 8, onStream: false)
            if !frame.has(HTTP2InboundFrame.ack) { output.pingAck(frame.payload) }
        case .goAway:
            // The client closes the connection itself; calls it has opened are still answered until then.
            guard frame.stream == 0 else { throw .connection(.protocolError, "GOAWAY on stream \(frame.stream)") }
        case .windowUpdate:
            try windowUpdate(frame)
        case .continuation:
            throw .connection(.protocolError, "CONTINUATION on stream \(frame.stream) without a HEADERS frame before it")
        }
    }

    private func expect(_ frame: HTTP2InboundFrame, length: Int, onStream: Bool) throws(AnalyzerError) {
        let name = frame.name
        guard (frame.stream != 0) == onStream else {
            throw .connection(.protocolError, onStream ? "\(name) on stream 0" : "\(name) on stream \(frame.stream)")
        }
        guard frame.payload.readableBytes == length else {
            throw .connection(.frameSizeError, "\(name) of \(frame.payload.readableBytes) bytes, expected \(length)")
        }
    }

    /// Frames other than HEADERS may only name a stream the client has opened.
    private func requireOpened(_ frame: HTTP2InboundFrame) throws(AnalyzerError) {
        guard frame.stream <= lastStream else {
            throw .connection(.protocolError, "\(frame.name) on stream \(frame.stream), which the client has not opened")
        }
    }

    private mutating func headers(_ frame: HTTP2InboundFrame, _ respond: Responder) throws(AnalyzerError) {
        guard frame.stream != 0 else { throw .connection(.protocolError, "HEADERS on stream 0") }
        var block = try frame.unpadded()
        if frame.has(HTTP2InboundFrame.priority) {
            guard block.readableBytes >= 5 else {
                throw .connection(.frameSizeError, "stream \(frame.stream): HEADERS too short for its priority fields")
            }
            block.moveReaderIndex(forwardBy: 5)
        }
        let endStream = frame.has(HTTP2InboundFrame.endStream)
        if frame.has(HTTP2InboundFrame.endHeaders) {
            try headerBlockEnded(frame.stream, block, endStream: endStream, respond)
        } else {
            var bytes = ByteBufferAllocator().buffer(capacity: block.readableBytes * 2)
            bytes.writeImmutableBuffer(block)
            partialBlock = PartialHeaderBlock(stream: frame.stream, endStream: endStream, bytes: bytes)
        }
    }

    private mutating func continueHeaders(_ block: PartialHeaderBlock, _ frame: HTTP2InboundFrame,
                                          _ respond: Responder) throws(AnalyzerError) {
        var block = block
        guard frame.kind == .continuation, frame.stream == block.stream else {
            throw .connection(.protocolError, "expected CONTINUATION of stream \(block.stream)'s headers, "
                              + "found \(frame.name) on stream \(frame.stream)")
        }
        block.bytes.writeImmutableBuffer(frame.payload)
        guard block.bytes.readableBytes <= limits.maxHeaderListSize else {
            throw .connection(.enhanceYourCalm, "stream \(block.stream): a header block over \(limits.maxHeaderListSize) bytes")
        }
        guard frame.has(HTTP2InboundFrame.endHeaders) else {
            partialBlock = block
            return
        }
        try headerBlockEnded(block.stream, block.bytes, endStream: block.endStream, respond)
    }

    private mutating func headerBlockEnded(_ stream: UInt32, _ block: ByteBuffer, endStream: Bool,
                                          _ respond: Responder) throws(AnalyzerError) {
        // Every block is decoded, even one the server then ignores: HPACK's table is shared by the whole connection.
        var block = block
        let headers: HPACKHeaders
        do {
            headers = try decoder.decodeHeaders(from: &block)
        } catch {
            throw .connection(.compressionError, "stream \(stream): the header block does not decode (\(error))")
        }
        if calls[stream] != nil {
            // Trailers from the client end its request.
            if endStream { requestEnded(stream, respond) }
            return
        }
        // Trailers of a call answered early, or of a reset stream.
        guard stream > lastStream else { return }
        guard stream % 2 == 1 else { throw .connection(.protocolError, "stream \(stream): a client's streams are odd") }
        lastStream = stream
        guard calls.count < limits.maxConcurrentStreams else {
            output.rstStream(stream, .refusedStream)
            return
        }
        open(stream, headers, endStream: endStream, respond)
    }

    /// A new stream: a gRPC call when its headers are a gRPC request to a method of this analyzer.
    private mutating func open(_ stream: UInt32, _ headers: HPACKHeaders, endStream: Bool, _ respond: Responder) {
        guard let path = headers.first(name: ":path") else {
            output.rstStream(stream, .protocolError)
            return
        }
        guard headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
            output.headers(stream, HeaderBlock.httpStatus(415).bytes, endStream: true, maxFrameSize: clientMaxFrameSize)
            if !endStream { output.rstStream(stream, .noError) }
            return
        }
        guard let method = AnalyzerMethod(path: path) else {
            finish(stream, GRPCStatus(.unimplemented, "\(path) is not a method of this analyzer"), requestEnded: endStream)
            return
        }
        calls[stream] = OpenCall(call: UnaryCall(method: method, maxMessageSize: limits.maxMessageSize),
                                 receiveWindow: limits.streamWindow)
        if endStream { requestEnded(stream, respond) }
    }

    private mutating func data(_ frame: HTTP2InboundFrame, _ respond: Responder) throws(AnalyzerError) {
        guard frame.stream != 0 else { throw .connection(.protocolError, "DATA on stream 0") }
        try requireOpened(frame)
        // The whole payload counts against the windows, padding included.
        let length = frame.payload.readableBytes
        receiveWindow -= length
        guard receiveWindow >= 0 else {
            throw .connection(.flowControlError, "stream \(frame.stream): DATA beyond the connection's window")
        }
        if receiveWindow <= limits.connectionWindow / 2 {
            output.windowUpdate(stream: 0, increment: limits.connectionWindow - receiveWindow)
            receiveWindow = limits.connectionWindow
        }
        let content = try frame.unpadded()
        let endStream = frame.has(HTTP2InboundFrame.endStream)
        // Taken out while it changes, so the bytes it holds stay uniquely referenced and are appended in place.
        guard var open = calls.removeValue(forKey: frame.stream) else { return }  // answered early, or reset
        open.receiveWindow -= length
        guard open.receiveWindow >= 0 else {
            output.rstStream(frame.stream, .flowControlError)
            return
        }
        if let status = open.call.receive(content) {
            finish(frame.stream, status, requestEnded: endStream)
            return
        }
        if !endStream && open.receiveWindow <= limits.streamWindow / 2 {
            output.windowUpdate(stream: frame.stream, increment: limits.streamWindow - open.receiveWindow)
            open.receiveWindow = limits.streamWindow
        }
        calls[frame.stream] = open
        if endStream { requestEnded(frame.stream, respond) }
    }

    private mutating func settings(_ frame: HTTP2InboundFrame) throws(AnalyzerError) {
        guard frame.stream == 0 else { throw .connection(.protocolError, "SETTINGS on stream \(frame.stream)") }
        var payload = frame.payload
        if frame.has(HTTP2InboundFrame.ack) {
            guard payload.readableBytes == 0 else { throw .connection(.frameSizeError, "a SETTINGS acknowledgement with a payload") }
            return
        }
        guard payload.readableBytes % 6 == 0 else {
            throw .connection(.frameSizeError, "SETTINGS of \(payload.readableBytes) bytes, not a multiple of 6")
        }
        while let id = payload.readInteger(as: UInt16.self), let value = payload.readInteger(as: UInt32.self).map(Int.init) {
            switch id {
            case 0x2 where value > 1:  // SETTINGS_ENABLE_PUSH
                throw .connection(.protocolError, "SETTINGS_ENABLE_PUSH \(value), expected 0 or 1")
            case 0x4:  // SETTINGS_INITIAL_WINDOW_SIZE
                guard value <= Self.maxWindow else {
                    throw .connection(.flowControlError, "SETTINGS_INITIAL_WINDOW_SIZE \(value) exceeds 2^31-1")
                }
                let change = value - clientInitialWindow
                clientInitialWindow = value
                for index in pending.indices {
                    pending[index].sendWindow += change
                    guard pending[index].sendWindow <= Self.maxWindow else {
                        throw .connection(.flowControlError, "stream \(pending[index].stream): window over 2^31-1")
                    }
                }
            case 0x5:  // SETTINGS_MAX_FRAME_SIZE
                guard (HTTP2FrameReader.maxFrameSize...0xFF_FFFF).contains(value) else {
                    throw .connection(.protocolError, "SETTINGS_MAX_FRAME_SIZE \(value), expected 16384 to 16777215")
                }
                clientMaxFrameSize = value
            default:
                // The header table size only bounds an encoder's table, and this server's responses never index.
                break
            }
        }
        output.settingsAck()
        sendPending()
    }

    private mutating func windowUpdate(_ frame: HTTP2InboundFrame) throws(AnalyzerError) {
        guard frame.payload.readableBytes == 4 else {
            throw .connection(.frameSizeError, "WINDOW_UPDATE of \(frame.payload.readableBytes) bytes, expected 4")
        }
        let increment = Int(frame.payload.getInteger(at: frame.payload.readerIndex, as: UInt32.self)! & 0x7FFF_FFFF)
        guard frame.stream != 0 else {
            guard increment > 0 else { throw .connection(.protocolError, "a connection WINDOW_UPDATE of 0") }
            sendWindow += increment
            guard sendWindow <= Self.maxWindow else { throw .connection(.flowControlError, "the connection's window over 2^31-1") }
            sendPending()
            return
        }
        try requireOpened(frame)
        if calls[frame.stream] != nil {
            calls[frame.stream]!.sendCredit += increment
        } else if let index = pending.firstIndex(where: { $0.stream == frame.stream }) {
            pending[index].sendWindow += increment
            guard increment > 0, pending[index].sendWindow <= Self.maxWindow else {
                output.rstStream(frame.stream, increment > 0 ? .flowControlError : .protocolError)
                pending.remove(at: index)
                return
            }
            sendPending()
        }
    }

    // MARK: - Calls

    /// The client has sent all of its request: evaluate and answer.
    private mutating func requestEnded(_ stream: UInt32, _ respond: Responder) {
        guard let open = calls.removeValue(forKey: stream) else { return }
        guard let request = open.call.completeRequest else {
            finish(stream, open.call.incompleteRequestStatus, requestEnded: true)
            return
        }
        switch respond(open.call.method, request) {
        case .response(let message):
            output.headers(stream, HeaderBlock.grpcResponse.bytes, endStream: false, maxFrameSize: clientMaxFrameSize)
            var response = PendingResponse(stream: stream, sendWindow: clientInitialWindow + open.sendCredit, message: message)
            if !send(&response) { pending.append(response) }
        case .failure(let status):
            finish(stream, status, requestEnded: true)
        }
    }

    /// Ends a call without a response message (trailers only). A client still sending is told to stop with
    /// RST_STREAM(NO_ERROR), as HTTP/2 allows a server that has answered.
    private mutating func finish(_ stream: UInt32, _ status: GRPCStatus, requestEnded: Bool) {
        calls.removeValue(forKey: stream)
        output.headers(stream, HeaderBlock.trailersOnly(status).bytes, endStream: true, maxFrameSize: clientMaxFrameSize)
        if !requestEnded { output.rstStream(stream, .noError) }
    }

    /// Sends as much of `response` as the windows allow; true once it has all gone, trailers included.
    private mutating func send(_ response: inout PendingResponse) -> Bool {
        while response.message.readableBytes > 0 {
            let size = min(response.message.readableBytes, response.sendWindow, sendWindow, clientMaxFrameSize)
            guard size > 0 else { return false }
            output.data(response.stream, response.message.readSlice(length: size)!, endStream: false)
            response.sendWindow -= size
            sendWindow -= size
        }
        output.headers(response.stream, HeaderBlock.okTrailers.bytes, endStream: true, maxFrameSize: clientMaxFrameSize)
        return true
    }

    /// Sends waiting responses, oldest first, as far as the windows now allow.
    private mutating func sendPending() {
        var index = 0
        while index < pending.count && sendWindow > 0 {
            var response = pending[index]
            if send(&response) {
                pending.remove(at: index)
            } else {
                pending[index] = response
                index += 1
            }
        }
    }
}
