/// The `pulumirpc.Analyzer` methods this analyzer serves, by the `:path` a gRPC client sends.
enum AnalyzerMethod: String, CaseIterable, Sendable {
    case handshake = "/pulumirpc.Analyzer/Handshake"
    case configureStack = "/pulumirpc.Analyzer/ConfigureStack"
    case getAnalyzerInfo = "/pulumirpc.Analyzer/GetAnalyzerInfo"
    case getPluginInfo = "/pulumirpc.Analyzer/GetPluginInfo"
    case configure = "/pulumirpc.Analyzer/Configure"
    case analyze = "/pulumirpc.Analyzer/Analyze"
    case analyzeStack = "/pulumirpc.Analyzer/AnalyzeStack"
    case remediate = "/pulumirpc.Analyzer/Remediate"
    case cancel = "/pulumirpc.Analyzer/Cancel"

    /// The method for a request's `:path`, nil for one this analyzer does not serve.
    init?(path: String) {
        // The per-resource calls first: they are nearly every call.
        switch path {
        case Self.analyze.rawValue: self = .analyze
        case Self.remediate.rawValue: self = .remediate
        default: self.init(rawValue: path)
        }
    }

    /// The method's name as the service declares it (`Analyze`), for messages. Literals: every request's reader is
    /// given it, so it must cost nothing.
    var name: String {
        switch self {
        case .handshake: "Handshake"
        case .configureStack: "ConfigureStack"
        case .getAnalyzerInfo: "GetAnalyzerInfo"
        case .getPluginInfo: "GetPluginInfo"
        case .configure: "Configure"
        case .analyze: "Analyze"
        case .analyzeStack: "AnalyzeStack"
        case .remediate: "Remediate"
        case .cancel: "Cancel"
        }
    }
}
