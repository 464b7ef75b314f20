import NIOCore

/// One client connection on its event loop: the bytes read go to the connection's `HTTP2ServerConnection`, which
/// answers every call they complete through the service, and what it has to send is written once per read and
/// flushed when the read is done. No per-call channel, task, promise or event.
final class GRPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let service: AnalyzerService
    private var connection: HTTP2ServerConnection
    private var flushPending = false
    private var greeted = false

    init(service: AnalyzerService, limits: HTTP2ServerConnection.Limits) {
        self.service = service
        connection = HTTP2ServerConnection(limits: limits)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { greet(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        greet(context: context)
        context.fireChannelActive()
    }

    /// The server's preface (its SETTINGS) goes out as soon as the connection is up.
    private func greet(context: ChannelHandlerContext) {
        guard !greeted else { return }
        greeted = true
        writeOutput(context: context)
        context.flush()
        flushPending = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let service = self.service
        connection.receive(unwrapInboundIn(data)) { method, request in service.respond(to: method, request: request) }
        writeOutput(context: context)
        if connection.isClosing {
            // GOAWAY is written: send it, then end the connection.
            flushPending = false
            context.flush()
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A socket error leaves the connection unusable.
        context.close(promise: nil)
    }

    private func writeOutput(context: ChannelHandlerContext) {
        guard let bytes = connection.takeOutput() else { return }
        context.write(wrapOutboundOut(bytes), promise: nil)
        flushPending = true
    }
}
