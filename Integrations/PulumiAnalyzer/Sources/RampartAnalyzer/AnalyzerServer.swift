import Foundation
import Rampart
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves one `AnalyzerPack` over insecure HTTP/2 gRPC on 127.0.0.1, as Pulumi expects of a policy-pack plugin.
///
/// The transport is lean on purpose: each connection is served by a thread of its own (`ServedConnection`) with
/// blocking reads and sends, speaks HTTP/2 itself (`HTTP2ServerConnection`) and evaluates and answers every call in
/// turn, with no event loop, per-call channel, task or async sequence. The Pulumi engine opens one connection per
/// analyzer and makes its calls one after another; a client's concurrent calls on one connection are answered in
/// the order their requests complete.
public struct AnalyzerServer: Sendable {
    public let pack: AnalyzerPack
    /// 0 lets the system choose; the chosen port is passed to `onListening`.
    public var port: Int
    /// Connections served at once. A client past it waits in the listener's backlog until a connection closes.
    public var maxConnections = 256

    /// Stack space for each connection's thread: decoding and evaluating a deeply nested property value recurses
    /// (to the depth limits of `WireStructTranscoder` and Rampart's JSON parser).
    static let threadStackSize = 8 * 1024 * 1024

    public init(pack: AnalyzerPack, port: Int = 0) {
        self.pack = pack
        self.port = port
    }

    /// Runs until the process ends (the engine kills the plugin when it is done).
    /// - Parameter onListening: called once with the bound port, before any call is served. The executable prints it.
    public func run(onListening: (Int) -> Void) throws(AnalyzerError) {
        Self.endOnTerminationSignals()
        let service = AnalyzerService(pack: pack, pluginVersion: RampartVersion.current)
        let limits = HTTP2ServerConnection.Limits()
        let listener = try LoopbackSocket.listen(port: port, backlog: 256)
        onListening(try listener.port())
        let slots = DispatchSemaphore(value: maxConnections)
        while true {
            slots.wait()
            let socket: LoopbackSocket
            do { socket = try listener.accept() } catch {
                slots.signal()
                throw error
            }
            let connection = ConnectionHandoff(ServedConnection(socket: socket, service: service, limits: limits))
            let thread = Thread {
                connection.take()?.run()
                slots.signal()
            }
            thread.stackSize = Self.threadStackSize
            thread.start()
        }
    }
}

extension AnalyzerServer {
    /// Lets SIGTERM, SIGINT and SIGHUP end the process, as their default actions do. A plugin inherits the signal mask
    /// of the thread that started it, and some launchers start plugins from threads that block every signal (Swift's
    /// `Process` on Linux does): the analyzer, its threads sleeping in `accept` and `read`, would then ignore the
    /// request to stop. Called before any connection's thread starts, so they inherit the unblocked mask.
    static func endOnTerminationSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// Hands a connection to the thread that serves it.
/// `@unchecked Sendable`: `connection` is taken once, by that thread, after the accepting thread has let go of it.
private final class ConnectionHandoff: @unchecked Sendable {
    private var connection: ServedConnection?

    init(_ connection: consuming ServedConnection) {
        self.connection = consume connection
    }

    func take() -> ServedConnection? {
        connection.take()
    }
}
