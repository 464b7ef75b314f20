import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import Rampart

/// Serves one `AnalyzerPack` over insecure HTTP/2 gRPC on 127.0.0.1, as Pulumi expects of a policy-pack plugin.
public struct AnalyzerServer: Sendable {
    public let pack: AnalyzerPack
    /// 0 lets the system choose; the chosen port is passed to `onListening`.
    public var port: Int

    public init(pack: AnalyzerPack, port: Int = 0) {
        self.pack = pack
        self.port = port
    }

    /// Makes Swift concurrency run its jobs on the event loops that serve the socket, so a call is received,
    /// evaluated and answered without handing it between NIO's threads and Swift's pool (each hand-off wakes a thread:
    /// that was most of the analyzer's CPU per call). Call it once, from the executable's top-level code, before any
    /// task starts; `false` when the runtime does not allow it (calls are then served as before).
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Runs until the transport closes (the engine kills the plugin when it is done).
    /// - Parameter onListening: called once with the bound port, before any call is served. The executable prints it.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                // The SDKs accept messages up to 400 MB: AnalyzeStack carries every resource of a large stack.
                config.rpc.maxRequestPayloadSize = 400 * 1024 * 1024
            })
        let server = GRPCServer(transport: transport,
                                services: [AnalyzerService(pack: pack, pluginVersion: RampartVersion.current)])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let address = try await transport.listeningAddress
            onListening(address.ipv4?.port ?? port)
        }
    }
}
