import NIOCore
import NIOHPACK
import NIOHTTP2

/// The gRPC server side of one HTTP/2 connection, directly over `NIOHTTP2Handler`'s frames: the frames of every stream
/// arrive here and are kept apart by stream ID, each stream one unary call. A call is answered on this event loop as
/// soon as its request ends: response HEADERS, one DATA frame, trailers, written together and flushed once per read.
///
/// Without a stream multiplexer nothing else returns flow-control credit, so this handler sends the WINDOW_UPDATE
/// frames for the connection and for each open call as it takes their DATA.
final class GRPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// What one connection may take in.
    struct Limits: Sendable {
        /// The largest request message (AnalyzeStack of a big stack; the Pulumi SDKs allow 400 MB).
        var maxMessageSize = 400 * 1024 * 1024
        /// Each stream's inbound window, advertised as SETTINGS_INITIAL_WINDOW_SIZE and refilled when half used.
        var streamWindow = 1 << 20
        /// The connection's inbound window, refilled when half used.
        var connectionWindow = 8 << 20
        var maxConcurrentStreams = 1024

        var settings: HTTP2Settings {
            [HTTP2Setting(parameter: .maxConcurrentStreams, value: maxConcurrentStreams),
             HTTP2Setting(parameter: .initialWindowSize, value: streamWindow),
             HTTP2Setting(parameter: .maxHeaderListSize, value: HPACKDecoder.defaultMaxHeaderListSize)]
        }
    }

    private static let responseHeaders: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]
    private static let okTrailers: HPACKHeaders = ["grpc-status": "0"]

    private let service: AnalyzerService
    private let limits: Limits
    /// Calls whose request has not ended yet.
    private var calls: [HTTP2StreamID: UnaryCall] = [:]
    private var flushPending = false

    init(service: AnalyzerService, limits: Limits) {
        self.service = service
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers): receive(headers, on: frame.streamID, context: context)
        case .data(let data): receive(data, on: frame.streamID, context: context)
        case .rstStream: calls.removeValue(forKey: frame.streamID)
        default: break  // SETTINGS, PING, GOAWAY, WINDOW_UPDATE: NIOHTTP2Handler answers them itself
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let closed as StreamClosedEvent:
            // A reset stream, or every stream of a connection going away: nothing to answer any more.
            calls.removeValue(forKey: closed.streamID)
        case let window as NIOHTTP2WindowUpdatedEvent:
            returnCredit(window, context: context)
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        calls.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIOHTTP2Handler has already reset the stream or sent GOAWAY. A protocol error that is not about one
        // stream leaves the connection unusable: close it rather than keep a dead socket.
        switch error {
        case is NIOHTTP2Errors.StreamError, is NIOHTTP2Errors.NoSuchStream, is NIOHTTP2Errors.StreamClosed: break
        default: context.close(promise: nil)
        }
    }

    // MARK: - Requests

    private func receive(_ headers: HTTP2Frame.FramePayload.Headers, on stream: HTTP2StreamID, context: ChannelHandlerContext) {
        if calls[stream] != nil {
            // Trailers from the client end its request.
            if headers.endStream { requestEnded(stream, context: context) }
            return
        }
        // A stream answered early may still send its trailers: only a block with a path opens a call.
        guard let path = headers.headers.first(name: ":path") else { return }
        guard headers.headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
            write(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: [":status": "415"], endStream: true))), context: context)
            if !headers.endStream { write(HTTP2Frame(streamID: stream, payload: .rstStream(.noError)), context: context) }
            return
        }
        guard let method = AnalyzerMethod(path: path) else {
            finish(stream, GRPCStatus(.unimplemented, "\(path) is not a method of this analyzer"),
                   requestEnded: headers.endStream, context: context)
            return
        }
        calls[stream] = UnaryCall(method: method, maxMessageSize: limits.maxMessageSize)
        if headers.endStream { requestEnded(stream, context: context) }
    }

    private func receive(_ data: HTTP2Frame.FramePayload.Data, on stream: HTTP2StreamID, context: ChannelHandlerContext) {
        // Taken out while it changes, so the bytes it holds stay uniquely referenced and are appended in place.
        guard var call = calls.removeValue(forKey: stream) else { return }  // answered early, or reset
        if case .byteBuffer(let bytes) = data.data, let status = call.receive(bytes) {
            finish(stream, status, requestEnded: data.endStream, context: context)
            return
        }
        calls[stream] = call
        if data.endStream { requestEnded(stream, context: context) }
    }

    /// The client has sent all of its request: evaluate and answer.
    private func requestEnded(_ stream: HTTP2StreamID, context: ChannelHandlerContext) {
        guard let call = calls.removeValue(forKey: stream) else { return }
        guard let request = call.completeRequest else {
            finish(stream, call.incompleteRequestStatus, requestEnded: true, context: context)
            return
        }
        switch service.respond(to: call.method, request: request) {
        case .response(let message):
            write(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: Self.responseHeaders))), context: context)
            write(HTTP2Frame(streamID: stream, payload: .data(.init(data: .byteBuffer(message)))), context: context)
            write(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: Self.okTrailers, endStream: true))), context: context)
        case .failure(let status):
            finish(stream, status, requestEnded: true, context: context)
        }
    }

    // MARK: - Answers

    /// Ends a call without a response message (trailers only). A client still sending is told to stop with
    /// RST_STREAM(NO_ERROR), as HTTP/2 allows a server that has answered.
    private func finish(_ stream: HTTP2StreamID, _ status: GRPCStatus, requestEnded: Bool, context: ChannelHandlerContext) {
        calls.removeValue(forKey: stream)
        var headers = Self.responseHeaders
        status.add(to: &headers)
        write(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: headers, endStream: true))), context: context)
        if !requestEnded { write(HTTP2Frame(streamID: stream, payload: .rstStream(.noError)), context: context) }
    }

    private func write(_ frame: HTTP2Frame, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(frame), promise: nil)
        flushPending = true
    }

    /// Refills a window once half of it is used: the connection's always, a stream's while its request is coming.
    private func returnCredit(_ window: NIOHTTP2WindowUpdatedEvent, context: ChannelHandlerContext) {
        guard let size = window.inboundWindowSize else { return }
        let target: Int
        if window.streamID == .rootStream {
            target = limits.connectionWindow
        } else {
            guard calls[window.streamID] != nil else { return }
            target = limits.streamWindow
        }
        guard size <= target / 2 else { return }
        write(HTTP2Frame(streamID: window.streamID, payload: .windowUpdate(windowSizeIncrement: target - size)), context: context)
    }
}
