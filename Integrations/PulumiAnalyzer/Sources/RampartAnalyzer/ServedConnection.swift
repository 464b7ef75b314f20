import NIOCore

/// One client connection, served on a thread of its own until the client closes it: the bytes read go to the
/// connection's `HTTP2ServerConnection`, which answers every call they complete through the service, and what it has
/// to send goes out in one `send` per read. No event loop, channel pipeline, task or promise between the socket and
/// the service: a call costs one `read` (which also waits for it) and one `send` of system calls.
struct ServedConnection: ~Copyable {
    /// Bytes asked for per `read`: a small call's frames arrive whole in one; a large request takes several.
    static let readSize = 64 * 1024

    private let socket: LoopbackSocket
    private let service: AnalyzerService
    private var connection: HTTP2ServerConnection

    init(socket: consuming LoopbackSocket, service: AnalyzerService, limits: HTTP2ServerConnection.Limits) {
        self.socket = socket
        self.service = service
        connection = HTTP2ServerConnection(limits: limits)
    }

    /// Serves the connection until the client closes it, the socket fails, or a connection error has been answered
    /// with GOAWAY; the socket is closed when this returns.
    consuming func run() {
        // The server's preface (its SETTINGS) goes out first.
        guard sendOutput() else { return }
        var received = ByteBufferAllocator().buffer(capacity: Self.readSize)
        let service = self.service
        while !connection.isClosing {
            // The frames of the last read are answered and let go of, so the buffer is reused in place. (While a slice
            // of it is still held, the bytes of a message awaiting its next frame, writing copies it first.)
            received.clear()
            var failed = false
            let count = received.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readSize) { space in
                guard let count = socket.read(into: space) else {
                    failed = true
                    return 0
                }
                return count
            }
            guard !failed, count > 0 else { return }
            connection.receive(received) { method, request in service.respond(to: method, request: request) }
            guard sendOutput() else { return }
        }
    }

    /// Sends what the connection has to send; false when the client has gone.
    private mutating func sendOutput() -> Bool {
        guard let bytes = connection.takeOutput() else { return true }
        return bytes.withUnsafeReadableBytes { socket.send($0) }
    }
}
