import NIOCore
import NIOHPACK
@testable import RampartAnalyzer
import Testing

/// The analyzer's own HTTP/2 server side, fed bytes by hand: what it sends first, how it answers a call in all the
/// shapes a client may send it, flow control in both directions, and the errors that reset a stream or end the
/// connection. (`AnalyzerTransportTests` drives the same code over a socket with NIO's HTTP/2 client.)
@Suite struct HTTP2ServerConnectionTests {
    /// The bytes a client sends, frame by frame; header blocks encoded with NIO's HPACK encoder (Huffman and all).
    struct Client {
        var bytes = ByteBuffer()
        var encoder = HPACKEncoder(allocator: ByteBufferAllocator())

        static func opening() -> Client {
            var client = Client()
            client.bytes.writeBytes(HTTP2FrameReader.preface)
            client.frame(type: 0x4, stream: 0, [])
            return client
        }

        mutating func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, _ payload: [UInt8]) {
            bytes.writeInteger(UInt8(payload.count >> 16))
            bytes.writeInteger(UInt16(truncatingIfNeeded: payload.count))
            bytes.writeInteger(type)
            bytes.writeInteger(flags)
            bytes.writeInteger(stream)
            bytes.writeBytes(payload)
        }

        func block(path: String = "/pulumirpc.Analyzer/Analyze", contentType: String = "application/grpc") -> [UInt8] {
            var encoder = self.encoder
            var block = ByteBuffer()
            let headers: HPACKHeaders = [":method": "POST", ":scheme": "http", ":path": path, ":authority": "127.0.0.1",
                                         "content-type": contentType, "te": "trailers", "user-agent": "test"]
            try! encoder.encode(headers: headers, to: &block)
            return Array(block.readableBytesView)
        }

        mutating func headers(_ stream: UInt32, path: String = "/pulumirpc.Analyzer/Analyze", endStream: Bool = false) {
            frame(type: 0x1, flags: 0x4 | (endStream ? 0x1 : 0), stream: stream, block(path: path))
        }

        mutating func data(_ stream: UInt32, _ payload: [UInt8], endStream: Bool = true) {
            frame(type: 0x0, flags: endStream ? 0x1 : 0, stream: stream, payload)
        }

        /// HEADERS, then the request in one DATA frame that ends the stream.
        mutating func call(_ stream: UInt32, _ request: [UInt8] = framed(Array("request".utf8))) {
            headers(stream)
            data(stream, request)
        }

        mutating func take() -> ByteBuffer {
            defer { bytes = ByteBuffer() }
            return bytes
        }
    }

    /// A frame the server sent.
    struct Sent: Equatable {
        var type: UInt8
        var flags: UInt8
        var stream: UInt32
        var payload: [UInt8]

        var endStream: Bool { flags & 0x1 != 0 }
        var u32: UInt32 { payload.prefix(4).reduce(0) { $0 << 8 | UInt32($1) } }
        /// RST_STREAM's code, or GOAWAY's.
        var errorCode: UInt32 { type == 0x7 ? payload[4..<8].reduce(0) { $0 << 8 | UInt32($1) } : u32 }
        var debugText: String { String(decoding: payload.dropFirst(8), as: UTF8.self) }
    }

    static func frames(_ output: ByteBuffer?) -> [Sent] {
        guard var bytes = output else { return [] }
        var frames: [Sent] = []
        while bytes.readableBytes >= 9 {
            let length = Int(bytes.readInteger(as: UInt8.self)!) << 16 | Int(bytes.readInteger(as: UInt16.self)!)
            let type = bytes.readInteger(as: UInt8.self)!, flags = bytes.readInteger(as: UInt8.self)!
            let stream = bytes.readInteger(as: UInt32.self)!
            frames.append(Sent(type: type, flags: flags, stream: stream, payload: bytes.readBytes(length: length)!))
        }
        #expect(bytes.readableBytes == 0)
        return frames
    }

    static func framed(_ message: [UInt8]) -> [UInt8] {
        [0] + withUnsafeBytes(of: UInt32(message.count).bigEndian, Array.init) + message
    }

    /// A server whose every call answers with `response` (framed), after recording the request it was given.
    struct Server {
        var connection: HTTP2ServerConnection
        var decoder = HPACKDecoder(allocator: ByteBufferAllocator())
        var requests: [(AnalyzerMethod, [UInt8])] = []
        var response: [UInt8]

        init(limits: HTTP2ServerConnection.Limits = .init(), response: [UInt8] = Array("answer".utf8)) {
            connection = HTTP2ServerConnection(limits: limits)
            self.response = response
        }

        /// Feeds the client's bytes; the frames the server sends back.
        mutating func receive(_ bytes: ByteBuffer) -> [Sent] {
            let answer = ByteBuffer(bytes: HTTP2ServerConnectionTests.framed(response))
            var seen: [(AnalyzerMethod, [UInt8])] = []
            connection.receive(bytes) { method, request in
                seen.append((method, Array(request.readableBytesView)))
                return .response(answer)
            }
            requests += seen
            return HTTP2ServerConnectionTests.frames(connection.takeOutput())
        }

        mutating func decode(_ frame: Sent) throws -> [String: String] {
            var block = ByteBuffer(bytes: frame.payload)
            var fields: [String: String] = [:]
            for field in try decoder.decodeHeaders(from: &block) { fields[field.name] = field.value }
            return fields
        }
    }

    /// The client's bytes, opened and with `build` applied, to a new server: what it sends back after its preface.
    static func exchange(_ server: inout Server, _ build: (inout Client) -> Void) -> [Sent] {
        _ = HTTP2ServerConnectionTests.frames(server.connection.takeOutput())
        var client = Client.opening()
        build(&client)
        return server.receive(client.take())
    }

    @Test func theServerOpensWithItsSettingsAndAnswersSettingsAndPings() {
        var server = Server()
        let preface = Self.frames(server.connection.takeOutput())
        #expect(preface.map(\.type) == [0x4, 0x8])
        // MAX_CONCURRENT_STREAMS 1024, INITIAL_WINDOW_SIZE 1 MiB, MAX_HEADER_LIST_SIZE; the connection raised to 8 MiB.
        #expect(preface[0].payload.prefix(12) == [0, 3, 0, 0, 4, 0, 0, 4, 0, 0x10, 0, 0])
        #expect(preface[1].stream == 0 && Int(preface[1].u32) == (8 << 20) - 65_535)

        var client = Client.opening()
        client.frame(type: 0x6, stream: 0, [1, 2, 3, 4, 5, 6, 7, 8])
        client.frame(type: 0x6, flags: 0x1, stream: 0, [8, 7, 6, 5, 4, 3, 2, 1])  // an acknowledgement: no answer
        client.frame(type: 0xFA, stream: 3, [1, 2, 3])  // an unknown type: ignored
        client.frame(type: 0x4, flags: 0x1, stream: 0, [])
        #expect(server.receive(client.take()) == [Sent(type: 0x4, flags: 0x1, stream: 0, payload: []),
                                                  Sent(type: 0x6, flags: 0x1, stream: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])])
        #expect(!server.connection.isClosing)
    }

    @Test func aCallIsAnsweredWithHeadersOneDataFrameAndTrailers() throws {
        var server = Server()
        let sent = Self.exchange(&server) { $0.call(1) }
        #expect(sent.dropFirst().map(\.type) == [0x1, 0x0, 0x1])  // after the SETTINGS acknowledgement
        #expect(sent.dropFirst().allSatisfy { $0.stream == 1 })
        #expect(try server.decode(sent[1]) == [":status": "200", "content-type": "application/grpc"])
        #expect(sent[2].payload == Self.framed(Array("answer".utf8)) && !sent[2].endStream)
        #expect(try server.decode(sent[3]) == ["grpc-status": "0"])
        #expect(sent[3].endStream)
        #expect(server.requests.map(\.0) == [.analyze])
        #expect(server.requests.map(\.1) == [Array("request".utf8)])
    }

    @Test func paddingPriorityContinuationAndBytesSplitAnywhereGiveTheSameRequest() {
        var server = Server()
        var client = Client.opening()
        // HEADERS padded, with priority fields, its block split into two CONTINUATION frames.
        let block = client.block(path: "/pulumirpc.Analyzer/Remediate")
        let third = block.count / 3
        client.frame(type: 0x1, flags: 0x8 | 0x20, stream: 1, [3, 0, 0, 0, 0, 16] + block[..<third] + [0, 0, 0])
        client.frame(type: 0x9, stream: 1, Array(block[third..<(2 * third)]))
        client.frame(type: 0x9, flags: 0x4, stream: 1, Array(block[(2 * third)...]))
        // DATA padded and split, the last frame empty and ending the stream.
        let request = Self.framed(Array("request".utf8))
        client.frame(type: 0x0, flags: 0x8, stream: 1, [2] + request[..<4] + [0, 0])
        client.data(1, Array(request[4...]), endStream: false)
        client.data(1, [])
        // Every byte in its own read.
        var bytes = client.take()
        var sent: [Sent] = []
        while let byte = bytes.readSlice(length: 1) { sent += server.receive(byte) }
        #expect(sent.filter { $0.stream == 1 }.map(\.type) == [0x1, 0x0, 0x1])
        #expect(server.requests.map(\.0) == [.remediate])
        #expect(server.requests.map(\.1) == [Array("request".utf8)])
    }

    @Test func aResponseWaitsForTheClientsWindowAndGoesOutInFramesOfItsSize() throws {
        var server = Server(response: Array(repeating: 7, count: 40_000))
        let sent = Self.exchange(&server) { client in
            client.frame(type: 0x4, stream: 0, [0, 4, 0, 0, 0, 10])  // INITIAL_WINDOW_SIZE 10
            client.call(1)
        }
        // Ten bytes on the stream's window, then nothing until the client gives more.
        #expect(sent.filter { $0.type == 0x0 }.map(\.payload.count) == [10])
        #expect(!sent.contains { $0.stream == 1 && $0.endStream })

        // A larger initial window applies to the waiting response; the connection's window (65,535) still holds.
        var client = Client()
        client.frame(type: 0x4, stream: 0, [0, 4, 0, 1, 0, 0])  // INITIAL_WINDOW_SIZE 65,536
        let more = server.receive(client.take())
        #expect(more.filter { $0.type == 0x0 }.map(\.payload.count) == [16_384, 16_384, 7_227])
        #expect(more.last?.type == 0x1 && more.last?.endStream == true)
        #expect(more.filter { $0.type == 0x0 }.flatMap(\.payload).count + 10 == 40_005)
    }

    @Test func theConnectionsWindowIsSharedByItsStreams() {
        var server = Server(response: Array(repeating: 1, count: 40_000))
        let sent = Self.exchange(&server) { client in
            client.call(1)
            client.call(3)
        }
        // 40,005 bytes for stream 1; the connection's 65,535 leave 25,530 for stream 3, whose own window is larger.
        #expect(sent.filter { $0.type == 0x0 && $0.stream == 1 }.map(\.payload.count) == [16_384, 16_384, 7_237])
        #expect(sent.filter { $0.type == 0x0 && $0.stream == 3 }.map(\.payload.count) == [16_384, 9_146])
        #expect(sent.filter(\.endStream).map(\.stream) == [0, 1])  // the SETTINGS acknowledgement, then stream 1
        var client = Client()
        client.frame(type: 0x8, stream: 0, [0, 1, 0, 0])  // the connection: +65,536
        let rest = server.receive(client.take())
        #expect(rest.map(\.type) == [0x0, 0x1])
        #expect(rest.map(\.stream) == [3, 3])
        #expect(rest[0].payload.count == 40_005 - 25_530)
    }

    @Test func aStreamsWindowAloneCanHoldItsResponseBack() {
        var server = Server(response: Array(repeating: 1, count: 70_000))
        let sent = Self.exchange(&server) { client in
            client.frame(type: 0x8, stream: 0, [0, 1, 0, 0])  // the connection: +65,536
            client.call(1)
        }
        // The stream's window of 65,535 bytes goes out in full frames, then the response waits.
        #expect(sent.filter { $0.type == 0x0 }.map(\.payload.count) == [16_384, 16_384, 16_384, 16_383])
        var client = Client()
        client.frame(type: 0x8, stream: 0, [0, 1, 0, 0])
        #expect(server.receive(client.take()).isEmpty)  // more for the connection does not help
        client.frame(type: 0x8, stream: 1, [0, 0, 0x20, 0])
        let last = server.receive(client.take())
        #expect(last.map(\.type) == [0x0, 0x1])
        #expect(last[0].payload.count == 70_005 - 65_535)
        #expect(last[1].endStream)
    }

    @Test func requestDataRefillsTheStreamAndConnectionWindowsAtHalf() {
        var limits = HTTP2ServerConnection.Limits()
        limits.streamWindow = 20_000
        limits.connectionWindow = 70_000
        var server = Server(limits: limits)
        let sent = Self.exchange(&server) { client in
            client.headers(1)
            let message = Self.framed(Array(repeating: 9, count: 40_000))
            var offset = 0
            while offset < message.count {
                let end = min(message.count, offset + 10_000)
                client.data(1, Array(message[offset..<end]), endStream: end == message.count)
                offset = end
            }
        }
        let updates = sent.filter { $0.type == 0x8 }
        #expect(updates.map(\.stream) == [1, 1, 1, 0, 1])
        #expect(updates.map(\.u32) == [10_000, 10_000, 10_000, 40_000, 10_000])
        #expect(server.requests.first?.1.count == 40_000)
    }

    @Test func streamErrorsResetTheirStreamAndTheConnectionGoesOn() throws {
        var limits = HTTP2ServerConnection.Limits()
        limits.maxConcurrentStreams = 1
        limits.streamWindow = 100
        var server = Server(limits: limits)
        let sent = Self.exchange(&server) { client in
            client.headers(1)                                          // stays open
            client.headers(3)                                          // one too many
            client.frame(type: 0x3, stream: 1, [0, 0, 0, 8])           // the first reset by the client
            client.frame(type: 0x1, flags: 0x4, stream: 5,             // a block without :path
                         { var e = HPACKEncoder(allocator: .init()); var b = ByteBuffer()
                           try! e.encode(headers: ["content-type": "application/grpc"], to: &b); return Array(b.readableBytesView) }())
            client.headers(7)
            client.data(7, Array(repeating: 0, count: 101))            // past the stream's window of 100
            client.headers(9, path: "/pulumirpc.Analyzer/Nothing", endStream: true)
            client.call(11)
        }
        let resets = sent.filter { $0.type == 0x3 }
        #expect(resets.map(\.stream) == [3, 5, 7])
        #expect(resets.map(\.errorCode) == [HTTP2ErrorCode.refusedStream, .protocolError, .flowControlError].map(\.rawValue))
        let unimplemented = try #require(sent.first { $0.stream == 9 })
        let fields = try server.decode(unimplemented)
        #expect(fields["grpc-status"] == "12")
        #expect(fields["grpc-message"] == "/pulumirpc.Analyzer/Nothing is not a method of this analyzer")
        #expect(unimplemented.endStream)
        #expect(sent.filter { $0.stream == 11 }.map(\.type) == [0x1, 0x0, 0x1])
        #expect(!server.connection.isClosing)
    }

    @Test(arguments: [
        ("an HTTP/1 request", HTTP2ErrorCode.protocolError, "client preface"),
        ("a frame over 16,384 bytes", .frameSizeError, "SETTINGS_MAX_FRAME_SIZE"),
        ("DATA on stream 0", .protocolError, "DATA on stream 0"),
        ("DATA on a stream never opened", .protocolError, "has not opened"),
        ("an even stream", .protocolError, "odd"),
        ("CONTINUATION alone", .protocolError, "without a HEADERS"),
        ("another frame inside a header block", .protocolError, "expected CONTINUATION"),
        ("PUSH_PROMISE", .protocolError, "PUSH_PROMISE"),
        ("SETTINGS of 5 bytes", .frameSizeError, "multiple of 6"),
        ("a window of 2^31", .flowControlError, "INITIAL_WINDOW_SIZE"),
        ("PING of 7 bytes", .frameSizeError, "PING"),
        ("a block HPACK cannot decode", .compressionError, "does not decode"),
        ("a connection WINDOW_UPDATE of 0", .protocolError, "of 0"),
        ("DATA past the connection's window", .flowControlError, "connection's window"),
        ("a header block over the header list limit", .enhanceYourCalm, "header block over"),
    ] as [(String, HTTP2ErrorCode, String)])
    func protocolErrorsEndTheConnectionWithGoAwayAndTheReason(_ what: String, _ code: HTTP2ErrorCode, _ reason: String) {
        // A connection window below HTTP/2's initial 65,535 bytes is refilled only once the client has sent 55,535.
        var limits = HTTP2ServerConnection.Limits()
        limits.connectionWindow = 20_000
        var server = Server(limits: limits)
        _ = Self.frames(server.connection.takeOutput())
        var client = what == "an HTTP/1 request" ? Client() : Client.opening()
        switch what {
        case "an HTTP/1 request": client.bytes.writeString("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        case "a frame over 16,384 bytes": client.data(1, Array(repeating: 0, count: 16_385))
        case "DATA on stream 0": client.data(0, [1])
        case "DATA on a stream never opened": client.data(5, [1])
        case "an even stream": client.headers(2)
        case "CONTINUATION alone": client.frame(type: 0x9, flags: 0x4, stream: 1, [0x82])
        case "another frame inside a header block":
            client.frame(type: 0x1, stream: 1, Array(client.block().prefix(3)))
            client.frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0, 0])
        case "PUSH_PROMISE": client.frame(type: 0x5, flags: 0x4, stream: 1, [0, 0, 0, 2])
        case "SETTINGS of 5 bytes": client.frame(type: 0x4, stream: 0, [0, 4, 0, 0, 1])
        case "a window of 2^31": client.frame(type: 0x4, stream: 0, [0, 4, 0x80, 0, 0, 0])
        case "PING of 7 bytes": client.frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0])
        case "a block HPACK cannot decode": client.frame(type: 0x1, flags: 0x4, stream: 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        case "a connection WINDOW_UPDATE of 0": client.frame(type: 0x8, stream: 0, [0, 0, 0, 0])
        case "a header block over the header list limit":
            client.frame(type: 0x1, stream: 1, Array(repeating: 0x82, count: 10_000))
            client.frame(type: 0x9, stream: 1, Array(repeating: 0x82, count: 10_000))
        default:
            client.headers(1)
            for _ in 0..<4 { client.data(1, Array(repeating: 0, count: 16_384), endStream: false) }
        }
        client.call(101)  // never answered: nothing is read after the error
        let sent = server.receive(client.take())
        let goAway = sent.last
        #expect(goAway?.type == 0x7, "\(what)")
        #expect(goAway?.errorCode == code.rawValue, "\(what)")
        #expect(goAway?.debugText.contains(reason) == true, "\(what): \(goAway?.debugText ?? "")")
        #expect(server.connection.isClosing)
        #expect(server.requests.isEmpty)
        var late = Client()
        late.call(103)
        #expect(server.receive(late.take()).isEmpty)
    }

    @Test func headerBlocksDecodeAsHPACKAndLongBlocksContinue() throws {
        var block = HeaderBlock.trailersOnly(GRPCStatus(.invalidArgument, String(repeating: "é", count: 9_000)))
        var decoder = HPACKDecoder(allocator: ByteBufferAllocator(), maxDynamicTableSize: 4096, maxHeaderListSize: 1 << 20)
        var bytes = ByteBuffer(bytes: block.bytes)
        let fields = try decoder.decodeHeaders(from: &bytes)
        #expect(fields.map(\.name) == [":status", "content-type", "grpc-status", "grpc-message"])
        #expect(fields.first(name: "grpc-message")?.removingPercentEncoding == String(repeating: "é", count: 9_000))

        var writer = HTTP2FrameWriter()
        writer.headers(3, block.bytes, endStream: true, maxFrameSize: 16_384)
        let frames = Self.frames(writer.take())
        #expect(frames.map(\.type) == [0x1, 0x9, 0x9, 0x9])
        #expect(frames.map(\.flags) == [0x1, 0, 0, 0x4])
        #expect(frames.flatMap(\.payload) == block.bytes)
        block = .httpStatus(415)
        bytes = ByteBuffer(bytes: block.bytes)
        #expect(try decoder.decodeHeaders(from: &bytes).first(name: ":status") == "415")
    }
}
