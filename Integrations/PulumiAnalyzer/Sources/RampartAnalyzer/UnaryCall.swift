import NIOCore

/// One request stream of a connection, from its HEADERS until its request ends: which method, and the request
/// message as its DATA frames bring it.
struct UnaryCall {
    let method: AnalyzerMethod
    var reader: GRPCMessageReader
    /// The request message, once its last byte has arrived.
    var request: ByteBuffer?

    init(method: AnalyzerMethod, maxMessageSize: Int) {
        self.method = method
        reader = GRPCMessageReader(maxMessageSize: maxMessageSize)
    }

    /// Takes a DATA frame's bytes; a status when they end the call early (a second message, a message the reader
    /// refuses).
    mutating func receive(_ bytes: ByteBuffer) -> GRPCStatus? {
        reader.append(bytes)
        while true {
            switch reader.next() {
            case .refused(let status): return status
            case .incomplete: return nil
            case .message(let message):
                guard request == nil else {
                    return GRPCStatus(.internal, "\(method.name) is unary: the request sent more than one message")
                }
                request = message
            }
        }
    }

    /// The request message when the client has ended its side of the stream; nil when that left no whole message.
    var completeRequest: ByteBuffer? { reader.hasPartialMessage ? nil : request }

    /// Why a request without `completeRequest` ends the call.
    var incompleteRequestStatus: GRPCStatus {
        let what = request == nil ? "no whole message" : "an unfinished message after the first"
        return GRPCStatus(.internal, "\(method.name): the request ended with \(what)")
    }
}
