import Foundation
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import SwiftProtobuf

/// A bare HTTP/2 client for the transport tests: it writes exactly the frames a test chooses (split prefixes, resets,
/// unknown paths: what a gRPC library would never send) and collects what the server sends back on each stream.
struct RawHTTP2Client: Sendable {
    /// What the server sent on one stream, up to its end (END_STREAM or RST_STREAM).
    struct Reply: Sendable {
        var headers: [HPACKHeaders] = []
        var data = ByteBuffer()
        var reset: HTTP2ErrorCode?
        var ended = false

        /// `grpc-status` of the last header block (trailers, or trailers-only).
        var status: Int? { headers.last?.first(name: "grpc-status").flatMap { Int($0) } }
        /// `grpc-message`, percent-decoded.
        var message: String? { headers.last?.first(name: "grpc-message").flatMap { $0.removingPercentEncoding } }
        var httpStatus: String? { headers.first?.first(name: ":status") }

        /// The one response message.
        func response<M: Message>(_ type: M.Type = M.self) throws -> M {
            var bytes = data
            guard bytes.readInteger(as: UInt8.self) == 0, let length = bytes.readInteger(as: UInt32.self),
                  let body = bytes.readSlice(length: Int(length)), bytes.readableBytes == 0
            else { throw Failure.malformedResponse(bytes.readableBytes) }
            return try M(serializedBytes: Array(body.readableBytesView))
        }
    }

    enum Failure: Error {
        case timedOut(stream: HTTP2StreamID)
        case malformedResponse(Int)
        case connectionClosed(stream: HTTP2StreamID)
    }

    let channel: any Channel
    private let collector: ReplyCollector

    static func connect(port: Int) async throws -> RawHTTP2Client {
        let collector = ReplyCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let settings: HTTP2Settings = [HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20)]
                    try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .client, initialSettings: settings))
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawHTTP2Client(channel: channel, collector: collector)
    }

    func close() async {
        try? await channel.close()
    }

    /// Writes `frames` in order and flushes once.
    func send(_ frames: [HTTP2Frame]) async throws {
        for frame in frames.dropLast() { channel.write(frame, promise: nil) }
        if let last = frames.last { try await channel.writeAndFlush(last) }
    }

    /// What the server sent on `stream`, once it has ended it.
    func reply(on stream: HTTP2StreamID, within seconds: Int64 = 20) async throws -> Reply {
        let collector = self.collector
        return try await channel.eventLoop.flatSubmit { collector.reply(on: stream, within: .seconds(seconds)) }.get()
    }

    /// One whole call on `stream`: HEADERS, the framed request in one DATA frame ending the stream, then the reply.
    func call(_ path: String, _ request: some Message, on stream: HTTP2StreamID) async throws -> Reply {
        try await send([Self.headers(path, on: stream), Self.data(try Self.framed(request), on: stream, endStream: true)])
        return try await reply(on: stream)
    }

    // MARK: - Frames

    static func headers(_ path: String, on stream: HTTP2StreamID, contentType: String = "application/grpc",
                        endStream: Bool = false) -> HTTP2Frame {
        let headers: HPACKHeaders = [":method": "POST", ":scheme": "http", ":path": path, ":authority": "127.0.0.1",
                                     "content-type": contentType, "te": "trailers"]
        return HTTP2Frame(streamID: stream, payload: .headers(.init(headers: headers, endStream: endStream)))
    }

    static func data(_ bytes: ByteBuffer, on stream: HTTP2StreamID, endStream: Bool = false) -> HTTP2Frame {
        HTTP2Frame(streamID: stream, payload: .data(.init(data: .byteBuffer(bytes), endStream: endStream)))
    }

    /// `message` with gRPC's 5-byte prefix (`compressed` sets the flag without compressing).
    static func framed(_ message: some Message, compressed: Bool = false) throws -> ByteBuffer {
        let bytes: [UInt8] = try message.serializedBytes()
        return prefixed(bytes, compressed: compressed, length: bytes.count)
    }

    /// A prefix declaring `length` bytes, followed by `bytes` (which may be fewer).
    static func prefixed(_ bytes: [UInt8], compressed: Bool = false, length: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(compressed ? 1 : 0))
        buffer.writeInteger(UInt32(length))
        buffer.writeBytes(bytes)
        return buffer
    }
}

/// Collects the frames of every stream of the raw client's connection (on its event loop only), and returns
/// connection-level flow-control credit so a long test never stalls.
private final class ReplyCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private var replies: [HTTP2StreamID: RawHTTP2Client.Reply] = [:]
    private var waiting: [HTTP2StreamID: EventLoopPromise<RawHTTP2Client.Reply>] = [:]
    private var eventLoop: (any EventLoop)?

    func handlerAdded(context: ChannelHandlerContext) { eventLoop = context.eventLoop }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var reply = replies[frame.streamID] ?? RawHTTP2Client.Reply()
        switch frame.payload {
        case .headers(let headers):
            reply.headers.append(headers.headers)
            reply.ended = headers.endStream
        case .data(let data):
            if case .byteBuffer(var bytes) = data.data { reply.data.writeBuffer(&bytes) }
            reply.ended = data.endStream
        case .rstStream(let code):
            reply.reset = code
            reply.ended = true
        default:
            return
        }
        replies[frame.streamID] = reply
        if reply.ended, let promise = waiting.removeValue(forKey: frame.streamID) { promise.succeed(reply) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let window = event as? NIOHTTP2WindowUpdatedEvent, window.streamID == .rootStream,
           let size = window.inboundWindowSize, size < 32768 {
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: 1 << 20))),
                                  promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        for (stream, promise) in waiting { promise.fail(RawHTTP2Client.Failure.connectionClosed(stream: stream)) }
        waiting.removeAll()
        context.fireChannelInactive()
    }

    func reply(on stream: HTTP2StreamID, within timeout: TimeAmount) -> EventLoopFuture<RawHTTP2Client.Reply> {
        let loop = eventLoop!
        if let reply = replies[stream], reply.ended { return loop.makeSucceededFuture(reply) }
        let promise = loop.makePromise(of: RawHTTP2Client.Reply.self)
        waiting[stream] = promise
        loop.scheduleTask(in: timeout) { [self] in
            waiting.removeValue(forKey: stream)?.fail(RawHTTP2Client.Failure.timedOut(stream: stream))
        }
        return promise.futureResult
    }
}
