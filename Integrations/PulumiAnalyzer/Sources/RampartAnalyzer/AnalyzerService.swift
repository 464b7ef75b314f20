import PulumiRPC
import GRPCCore
import RampartModel
import SwiftProtobuf

/// The `pulumirpc.Analyzer` service over one served pack.
struct AnalyzerService: Pulumirpc_Analyzer.SimpleServiceProtocol {
    let pack: AnalyzerPack
    let session: AnalyzerSession
    /// Reported by `GetPluginInfo`: the Rampart version of this build.
    let pluginVersion: String

    init(pack: AnalyzerPack, pluginVersion: String) {
        self.pack = pack
        self.session = AnalyzerSession(pack: pack)
        self.pluginVersion = pluginVersion
    }

    func handshake(request: Pulumirpc_AnalyzerHandshakeRequest, context: ServerContext) async throws
        -> Pulumirpc_AnalyzerHandshakeResponse {
        Pulumirpc_AnalyzerHandshakeResponse()
    }

    func configureStack(request: Pulumirpc_AnalyzerStackConfigureRequest, context: ServerContext) async throws
        -> Pulumirpc_AnalyzerStackConfigureResponse {
        let identity = StackIdentity(organization: request.organization.isEmpty ? nil : request.organization,
                                     project: request.project.isEmpty ? nil : request.project, stack: request.stack)
        session.configureStack(identity, dryRun: request.dryRun)
        return Pulumirpc_AnalyzerStackConfigureResponse()
    }

    func getAnalyzerInfo(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Pulumirpc_AnalyzerInfo {
        let state = session.snapshot.state
        return AnalyzerInfoBuilder(pack: pack).info(stack: state.identity, resolver: state.resolver(for: pack))
    }

    func getPluginInfo(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Pulumirpc_PluginInfo {
        var info = Pulumirpc_PluginInfo()
        info.version = pluginVersion
        return info
    }

    func configure(request: Pulumirpc_ConfigureAnalyzerRequest, context: ServerContext) async throws -> Google_Protobuf_Empty {
        session.configure(ConfigMapping.layers(request, pack: pack))
        return Google_Protobuf_Empty()
    }

    func analyze(request: Pulumirpc_AnalyzeRequest, context: ServerContext) async throws -> Pulumirpc_AnalyzeResponse {
        let state = try liveState()
        return try mapped { () throws(AnalyzerError) in try AnalyzeRunner(pack: pack, session: state).analyze(request) }
    }

    func analyzeStack(request: Pulumirpc_AnalyzeStackRequest, context: ServerContext) async throws -> Pulumirpc_AnalyzeResponse {
        let state = try liveState()
        return try mapped { () throws(AnalyzerError) in try AnalyzeRunner(pack: pack, session: state).analyzeStack(request) }
    }

    func remediate(request: Pulumirpc_AnalyzeRequest, context: ServerContext) async throws -> Pulumirpc_RemediateResponse {
        let state = try liveState()
        return try mapped { () throws(AnalyzerError) in try RemediateRunner(pack: pack, session: state).remediate(request) }
    }

    func cancel(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Google_Protobuf_Empty {
        session.cancel()
        return Google_Protobuf_Empty()
    }

    private func liveState() throws -> AnalyzerSession.Snapshot {
        let state = session.snapshot
        if state.state.cancelled { throw RPCError(code: .cancelled, message: "the engine cancelled this analyzer") }
        return state
    }

    private func mapped<T>(_ body: () throws(AnalyzerError) -> T) throws -> T {
        do { return try body() } catch { throw RPCError(code: .invalidArgument, message: error.description) }
    }
}
