import NIOCore
import PulumiRPC
import RampartModel
import SwiftProtobuf

/// The `pulumirpc.Analyzer` service over one served pack: one request message in, one response message out, evaluated
/// synchronously on the caller's thread (the connection's own thread, `ServedConnection`).
struct AnalyzerService: Sendable {
    let pack: AnalyzerPack
    let session: AnalyzerSession
    /// Reported by `GetPluginInfo`: the Rampart version of this build.
    let pluginVersion: String

    init(pack: AnalyzerPack, pluginVersion: String) {
        self.pack = pack
        self.session = AnalyzerSession(pack: pack)
        self.pluginVersion = pluginVersion
    }

    /// `Remediate`'s answer when no policy remediates: an empty `RemediateResponse` is its 5-byte prefix alone.
    private static let noRemediations = ByteBuffer(bytes: [0, 0, 0, 0, 0])

    /// How a call is answered.
    enum Answer {
        /// The response message, framed for a DATA frame.
        case response(ByteBuffer)
        /// No response: the call ends with this status.
        case failure(GRPCStatus)
    }

    /// Answers one call: `request` is the method's serialized request message.
    func respond(to method: AnalyzerMethod, request: ByteBuffer) -> Answer {
        do throws(AnalyzerError) {
            switch method {
            // The per-resource and stack calls decode their resources straight from the request's bytes, and write
            // their answers straight into the response's (`AnalyzeResponseWriter`).
            case .analyze:
                let runner = AnalyzeRunner(pack: pack, session: try liveState())
                return .response(AnalyzeResponseWriter.framed(try runner.analyze(WireResources.analyzeRequest(request, method: method))))
            case .remediate:
                // Nothing at level `remediate` (the usual case): answer without decoding the resource.
                let runner = RemediateRunner(pack: pack, session: try liveState())
                if runner.remediatesNothing { return .response(Self.noRemediations) }
                return encode(method, try runner.remediate(WireResources.analyzeRequest(request, method: method)))
            case .analyzeStack:
                let runner = AnalyzeRunner(pack: pack, session: try liveState())
                return .response(AnalyzeResponseWriter.framed(try runner.analyzeStack(WireResources.analyzeStackRequest(request))))
            case .handshake: return try answer(method, request, handshake)
            case .configureStack: return try answer(method, request, configureStack)
            case .getAnalyzerInfo: return try answer(method, request, getAnalyzerInfo)
            case .getPluginInfo: return try answer(method, request, getPluginInfo)
            case .configure: return try answer(method, request, configure)
            case .cancel: return try answer(method, request, cancel)
            }
        } catch {
            return .failure(GRPCStatus(error))
        }
    }

    private func answer<Request: Message, Response: Message>(
        _ method: AnalyzerMethod, _ bytes: ByteBuffer, _ body: (Request) throws(AnalyzerError) -> Response
    ) throws(AnalyzerError) -> Answer {
        let request: Request
        do { request = try Request(serializedBytes: bytes.readableBytesSpan) } catch {
            throw .undecodableRequest(method: method.name, reason: "\(error)")
        }
        return encode(method, try body(request))
    }

    private func encode(_ method: AnalyzerMethod, _ response: some Message) -> Answer {
        do { return .response(try GRPCFramedMessage.encode(response)) } catch {
            return .failure(GRPCStatus(.internal, "\(method.name): the response could not be encoded (\(error))"))
        }
    }

    // MARK: - The methods

    func handshake(_ request: Pulumirpc_AnalyzerHandshakeRequest) -> Pulumirpc_AnalyzerHandshakeResponse {
        Pulumirpc_AnalyzerHandshakeResponse()
    }

    func configureStack(_ request: Pulumirpc_AnalyzerStackConfigureRequest) -> Pulumirpc_AnalyzerStackConfigureResponse {
        let identity = StackIdentity(organization: request.organization.isEmpty ? nil : request.organization,
                                     project: request.project.isEmpty ? nil : request.project, stack: request.stack)
        session.configureStack(identity, dryRun: request.dryRun)
        return Pulumirpc_AnalyzerStackConfigureResponse()
    }

    func getAnalyzerInfo(_ request: Google_Protobuf_Empty) -> Pulumirpc_AnalyzerInfo {
        let state = session.snapshot.state
        return AnalyzerInfoBuilder(pack: pack).info(stack: state.identity, resolver: state.resolver(for: pack))
    }

    func getPluginInfo(_ request: Google_Protobuf_Empty) -> Pulumirpc_PluginInfo {
        var info = Pulumirpc_PluginInfo()
        info.version = pluginVersion
        return info
    }

    func configure(_ request: Pulumirpc_ConfigureAnalyzerRequest) -> Google_Protobuf_Empty {
        session.configure(ConfigMapping.layers(request, pack: pack))
        return Google_Protobuf_Empty()
    }

    func cancel(_ request: Google_Protobuf_Empty) -> Google_Protobuf_Empty {
        session.cancel()
        return Google_Protobuf_Empty()
    }

    private func liveState() throws(AnalyzerError) -> AnalyzerSession.Snapshot {
        let state = session.snapshot
        if state.state.cancelled { throw .cancelled }
        return state
    }
}
