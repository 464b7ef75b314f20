/// The error codes of HTTP/2's RST_STREAM and GOAWAY frames (RFC 9113, section 7) that this server sends.
public enum HTTP2ErrorCode: UInt32, Sendable, CustomStringConvertible {
    case noError = 0x0
    case protocolError = 0x1
    case internalError = 0x2
    case flowControlError = 0x3
    case frameSizeError = 0x6
    case refusedStream = 0x7
    case compressionError = 0x9
    case enhanceYourCalm = 0xB

    public var description: String {
        switch self {
        case .noError: "NO_ERROR"
        case .protocolError: "PROTOCOL_ERROR"
        case .internalError: "INTERNAL_ERROR"
        case .flowControlError: "FLOW_CONTROL_ERROR"
        case .frameSizeError: "FRAME_SIZE_ERROR"
        case .refusedStream: "REFUSED_STREAM"
        case .compressionError: "COMPRESSION_ERROR"
        case .enhanceYourCalm: "ENHANCE_YOUR_CALM"
        }
    }
}
