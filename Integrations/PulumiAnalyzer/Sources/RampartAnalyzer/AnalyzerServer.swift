import NIOCore
import NIOPosix
import Rampart

/// Serves one `AnalyzerPack` over insecure HTTP/2 gRPC on 127.0.0.1, as Pulumi expects of a policy-pack plugin.
///
/// The transport is lean on purpose: each connection is one `GRPCConnectionHandler` that speaks HTTP/2 itself
/// (`HTTP2ServerConnection`), evaluates and answers every call on the connection's event loop, with no per-call
/// channel, task or async sequence.
public struct AnalyzerServer: Sendable {
    public let pack: AnalyzerPack
    /// 0 lets the system choose; the chosen port is passed to `onListening`.
    public var port: Int

    public init(pack: AnalyzerPack, port: Int = 0) {
        self.pack = pack
        self.port = port
    }

    /// Makes Swift concurrency run its jobs on NIO's event loops, so the executable's few tasks (start-up, waiting for
    /// the listener to close) do not start a second thread pool. Call it once, from the executable's top-level code,
    /// before any task starts; `false` when the runtime does not allow it.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Runs until the listener closes (the engine kills the plugin when it is done).
    /// - Parameter onListening: called once with the bound port, before any call is served. The executable prints it.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let service = AnalyzerService(pack: pack, pluginVersion: RampartVersion.current)
        let limits = HTTP2ServerConnection.Limits()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(service: service, limits: limits))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        onListening(listener.localAddress?.port ?? port)
        try await listener.closeFuture.get()
    }
}
