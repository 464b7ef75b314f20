/// How a gRPC call ended, as its trailers say it: `grpc-status` and the optional `grpc-message`.
struct GRPCStatus: Sendable, Equatable {
    /// The gRPC status codes this server answers with.
    enum Code: Int, Sendable {
        case ok = 0
        case cancelled = 1
        case invalidArgument = 3
        case resourceExhausted = 8
        case unimplemented = 12
        case `internal` = 13
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    static let ok = GRPCStatus(.ok)

    /// A service failure as the engine sees it: `Cancel` ends every later call as cancelled, anything else is the
    /// request's fault.
    init(_ error: AnalyzerError) {
        switch error {
        case .cancelled: self.init(.cancelled, error.description)
        default: self.init(.invalidArgument, error.description)
        }
    }

    /// The status fields of a trailers block.
    func add(to block: inout HeaderBlock) {
        block.literal(name: "grpc-status", value: String(code.rawValue))
        if !message.isEmpty { block.literal(name: "grpc-message", value: Self.percentEncoded(message)) }
    }

    /// gRPC's encoding of `grpc-message`: UTF-8, with every byte outside printable ASCII and `%` itself as `%XX`.
    static func percentEncoded(_ message: String) -> String {
        let utf8 = message.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "%") }) { return message }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
