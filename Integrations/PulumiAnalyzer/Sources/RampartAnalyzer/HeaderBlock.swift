/// An HPACK header block of the server's responses (RFC 7541). Every field is a static-table index or a literal
/// "without indexing", so the server never adds to the client's dynamic table and keeps no encoder state: the same
/// fields always encode to the same bytes, and the fixed blocks are built once.
struct HeaderBlock: Equatable {
    private(set) var bytes: [UInt8] = []

    /// `:status: 200`, static table entry 8.
    static let statusOK = 8
    /// The name `content-type`, static table entry 31.
    static let contentType = 31

    /// A field that is all of a static table entry (name and value).
    mutating func indexed(_ index: Int) {
        integer(index, prefixBits: 7, flags: 0x80)
    }

    /// A literal value under a static table entry's name.
    mutating func literal(nameIndex: Int, value: String) {
        integer(nameIndex, prefixBits: 4, flags: 0)
        string(value)
    }

    /// A literal name and value.
    mutating func literal(name: String, value: String) {
        bytes.append(0)
        string(name)
        string(value)
    }

    /// A string literal without Huffman coding: the length on a 7-bit prefix, then the bytes.
    private mutating func string(_ text: String) {
        integer(text.utf8.count, prefixBits: 7, flags: 0)
        bytes.append(contentsOf: text.utf8)
    }

    /// HPACK's integer: in the prefix when it fits, else the prefix all ones and the rest 7 bits a byte, low first.
    private mutating func integer(_ value: Int, prefixBits: Int, flags: UInt8) {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else {
            bytes.append(flags | UInt8(value))
            return
        }
        bytes.append(flags | UInt8(limit))
        var rest = value - limit
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

extension HeaderBlock {
    /// `:status: 200` and `content-type: application/grpc`: every gRPC response starts with them.
    static let grpcResponse: HeaderBlock = {
        var block = HeaderBlock()
        block.indexed(statusOK)
        block.literal(nameIndex: contentType, value: "application/grpc")
        return block
    }()

    /// The trailers of a call that succeeded.
    static let okTrailers = trailers(.ok)

    /// A call's trailers: its status.
    static func trailers(_ status: GRPCStatus) -> HeaderBlock {
        var block = HeaderBlock()
        status.add(to: &block)
        return block
    }

    /// A call ended without a response: response headers and status in one block.
    static func trailersOnly(_ status: GRPCStatus) -> HeaderBlock {
        var block = grpcResponse
        status.add(to: &block)
        return block
    }

    /// An HTTP status alone, for a request that is not gRPC.
    static func httpStatus(_ code: Int) -> HeaderBlock {
        var block = HeaderBlock()
        block.literal(nameIndex: statusOK, value: String(code))
        return block
    }
}
