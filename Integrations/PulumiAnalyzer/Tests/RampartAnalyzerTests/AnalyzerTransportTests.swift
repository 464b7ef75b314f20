import AnalyzerDriver
import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import PulumiRPC
import RampartModel
import SwiftProtobuf
import Testing

/// The analyzer's own HTTP/2 + gRPC transport, spoken to frame by frame (`RawHTTP2Client`): framing the gRPC
/// libraries never produce, limits, unknown methods, resets and disconnects, many streams and connections.
@Suite struct AnalyzerTransportTests {
    typealias H = AnalyzerHarness
    static let analyze = "/pulumirpc.Analyzer/Analyze"
    static let handshake = "/pulumirpc.Analyzer/Handshake"

    /// Runs `body` against the fixture analyzer serving the `combined` pack, with Analyze requests for the three
    /// subnets of a sample stack (each has one violation of its own).
    static func withAnalyzer<R>(_ body: (Int, [Pulumirpc_AnalyzeRequest]) async throws -> R) async throws -> R {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let requests = try stack.graph.resources.indices.map { try H.analyzeRequest(stack, $0) }
        let process = try AnalyzerProcess(executable: H.executable("rampart-analyzer-fixture"),
                                          directory: H.fixtures.appendingPathComponent("packs/combined").path)
        defer { process.stop() }
        return try await body(process.port, requests)
    }

    static func subnetRequest(_ requests: [Pulumirpc_AnalyzeRequest]) throws -> Pulumirpc_AnalyzeRequest {
        try #require(requests.first { $0.type == "aws:ec2/subnet:Subnet" })
    }

    @Test func aMessageSplitAcrossDataFramesIsAnsweredAsInOneFrame() async throws {
        try await Self.withAnalyzer { port, requests in
            let client = try await RawHTTP2Client.connect(port: port)
            let request = try Self.subnetRequest(requests)
            let whole = try await client.call(Self.analyze, request, on: 1)
            #expect(whole.status == 0)
            let expected: Pulumirpc_AnalyzeResponse = try whole.response()
            #expect(expected.diagnostics.map(\.urn) == [request.urn])

            // The prefix itself split (2 + 3 bytes), then the message in three parts, the last frame ending the stream.
            var framed = try RawHTTP2Client.framed(request)
            let size = framed.readableBytes
            var parts: [ByteBuffer] = [framed.readSlice(length: 2)!, framed.readSlice(length: 3)!]
            let third = (size - 5) / 3
            parts += [framed.readSlice(length: third)!, framed.readSlice(length: third)!, framed]
            var frames = [RawHTTP2Client.headers(Self.analyze, on: 3)]
            for (i, part) in parts.enumerated() { frames.append(RawHTTP2Client.data(part, on: 3, endStream: i == parts.count - 1)) }
            try await client.send(frames)
            let split = try await client.reply(on: 3)
            #expect(split.status == 0)
            #expect(try split.response() == expected)

            // The request's end in an empty DATA frame, or in trailers, after the whole message.
            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 5),
                                   RawHTTP2Client.data(try RawHTTP2Client.framed(request), on: 5),
                                   RawHTTP2Client.data(ByteBuffer(), on: 5, endStream: true)])
            #expect(try await client.reply(on: 5).response() == expected)
            await client.close()
        }
    }

    @Test func aMessageOverTheLimitEndsAsResourceExhaustedAndTheConnectionGoesOn() async throws {
        try await Self.withAnalyzer { port, requests in
            let client = try await RawHTTP2Client.connect(port: port)
            // Only the prefix is sent: the declared length alone ends the call.
            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 1),
                                   RawHTTP2Client.data(RawHTTP2Client.prefixed([1, 2, 3], length: 400 * 1024 * 1024 + 1), on: 1)])
            let refused = try await client.reply(on: 1)
            #expect(refused.status == 8)
            #expect(refused.message == "request message of 419430401 bytes exceeds the limit of 419430400 bytes")
            #expect(refused.data.readableBytes == 0)

            let next = try await client.call(Self.analyze, try Self.subnetRequest(requests), on: 3)
            #expect(next.status == 0)
            // The client was told to stop sending (before the next answer, on the same connection).
            #expect(try await client.reply(on: 1).reset == .noError)
            await client.close()
        }
    }

    @Test func aClientThatDoesNotSpeakHTTP2IsToldWhyAndTheServerGoesOn() async throws {
        try await Self.withAnalyzer { port, requests in
            let received = try await PlainConnection.exchange(port: port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(!received.closedByClient, "the server did not close the connection")
            // The server's SETTINGS and connection window come first, then GOAWAY(PROTOCOL_ERROR) with its reason.
            var bytes = received.bytes
            var frames: [(type: UInt8, payload: ByteBuffer)] = []
            while bytes.readableBytes >= 9, let high = bytes.readInteger(as: UInt8.self), let low = bytes.readInteger(as: UInt16.self),
                  let type = bytes.readInteger(as: UInt8.self), bytes.readInteger(as: UInt8.self) != nil,
                  bytes.readInteger(as: UInt32.self) != nil, let payload = bytes.readSlice(length: Int(high) << 16 | Int(low)) {
                frames.append((type, payload))
            }
            #expect(frames.map(\.type) == [0x4, 0x8, 0x7])
            var goAway = try #require(frames.last?.payload)
            #expect(goAway.readInteger(as: UInt32.self) == 0)  // no stream was opened
            #expect(goAway.readInteger(as: UInt32.self) == 0x1)
            #expect(goAway.readString(length: goAway.readableBytes)?.contains("client preface") == true)

            let client = try await RawHTTP2Client.connect(port: port)
            #expect(try await client.call(Self.analyze, try Self.subnetRequest(requests), on: 1).status == 0)
            await client.close()
        }
    }

    @Test func unknownMethodsEndAsUnimplemented() async throws {
        try await Self.withAnalyzer { port, _ in
            let client = try await RawHTTP2Client.connect(port: port)
            for (i, path) in ["/pulumirpc.Analyzer/AnalyzeEverything", "/pulumirpc.ResourceProvider/Check", "/"].enumerated() {
                let reply = try await client.call(path, Google_Protobuf_Empty(), on: HTTP2StreamID(1 + 2 * i))
                #expect(reply.httpStatus == "200")
                #expect(reply.status == 12)
                #expect(reply.message == "\(path) is not a method of this analyzer")
            }
            #expect(try await client.call(Self.handshake, Pulumirpc_AnalyzerHandshakeRequest(), on: 7).status == 0)
            await client.close()
        }
    }

    @Test func compressedSecondAndMissingMessagesEndTheCallWithAStatus() async throws {
        try await Self.withAnalyzer { port, requests in
            let client = try await RawHTTP2Client.connect(port: port)
            let request = try Self.subnetRequest(requests)
            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 1),
                                   RawHTTP2Client.data(try RawHTTP2Client.framed(request, compressed: true), on: 1, endStream: true)])
            #expect(try await client.reply(on: 1).status == 12)

            var two = try RawHTTP2Client.framed(request)
            var second = try RawHTTP2Client.framed(request)
            two.writeBuffer(&second)
            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 3), RawHTTP2Client.data(two, on: 3, endStream: true)])
            let twice = try await client.reply(on: 3)
            #expect(twice.status == 13)
            #expect(twice.message == "Analyze is unary: the request sent more than one message")

            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 5, endStream: true)])
            #expect(try await client.reply(on: 5).status == 13)

            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 7),
                                   RawHTTP2Client.data(RawHTTP2Client.prefixed([0x0A], length: 10), on: 7, endStream: true)])
            #expect(try await client.reply(on: 7).status == 13)

            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 9, contentType: "application/json", endStream: true)])
            #expect(try await client.reply(on: 9).httpStatus == "415")
            await client.close()
        }
    }

    @Test func serviceErrorsKeepTheirStatusAndAPercentEncodedMessage() async throws {
        try await Self.withAnalyzer { port, requests in
            let client = try await RawHTTP2Client.connect(port: port)
            var request = try Self.subnetRequest(requests)
            request.urn = "ünïcode 100% not a urn"
            let invalid = try await client.call(Self.analyze, request, on: 1)
            #expect(invalid.status == 3)
            #expect(invalid.message == "urn: 'ünïcode 100% not a urn' is not a Pulumi URN")
            #expect(invalid.headers.last?.first(name: "grpc-message")?.contains("%25") == true)

            try await client.send([RawHTTP2Client.headers(Self.analyze, on: 3),
                                   RawHTTP2Client.data(RawHTTP2Client.prefixed([0xFF, 0xFF], length: 2), on: 3, endStream: true)])
            #expect(try await client.reply(on: 3).status == 3)

            #expect(try await client.call("/pulumirpc.Analyzer/Cancel", Google_Protobuf_Empty(), on: 5).status == 0)
            let cancelled = try await client.call(Self.analyze, try Self.subnetRequest(requests), on: 7)
            #expect(cancelled.status == 1)
            #expect(cancelled.message == "the engine cancelled this analyzer")
            await client.close()
        }
    }

    @Test func aStreamResetOrADisconnectMidCallLeavesTheServerAnswering() async throws {
        try await Self.withAnalyzer { port, requests in
            let request = try Self.subnetRequest(requests)
            let framed = try RawHTTP2Client.framed(request)
            let half = framed.getSlice(at: 0, length: framed.readableBytes / 2)!
            let client = try await RawHTTP2Client.connect(port: port)
            for i in 0..<50 {
                let stream = HTTP2StreamID(1 + 2 * i)
                try await client.send([RawHTTP2Client.headers(Self.analyze, on: stream), RawHTTP2Client.data(half, on: stream),
                                       HTTP2Frame(streamID: stream, payload: .rstStream(.cancel))])
            }
            #expect(try await client.call(Self.analyze, request, on: 101).status == 0)
            await client.close()

            // Connections that go away with a call half sent.
            for _ in 0..<10 {
                let leaving = try await RawHTTP2Client.connect(port: port)
                try await leaving.send([RawHTTP2Client.headers(Self.analyze, on: 1), RawHTTP2Client.data(half, on: 1)])
                await leaving.close()
            }
            let after = try await RawHTTP2Client.connect(port: port)
            #expect(try await after.call(Self.analyze, request, on: 1).status == 0)
            await after.close()
        }
    }

    @Test func concurrentStreamsOnOneConnectionAndManyConnectionsGetTheirOwnAnswers() async throws {
        try await Self.withAnalyzer { port, requests in
            let client = try await RawHTTP2Client.connect(port: port)
            var expected: [Pulumirpc_AnalyzeResponse] = []
            for (i, request) in requests.enumerated() {
                expected.append(try await client.call(Self.analyze, request, on: HTTP2StreamID(1 + 2 * i)).response())
            }
            // Every request opened before any ends, their halves interleaved across streams.
            let first = 1 + 2 * requests.count
            var opening: [HTTP2Frame] = [], closing: [HTTP2Frame] = []
            for (i, request) in requests.enumerated() {
                let stream = HTTP2StreamID(first + 2 * i)
                var framed = try RawHTTP2Client.framed(request)
                let head = framed.readSlice(length: framed.readableBytes / 2)!
                opening += [RawHTTP2Client.headers(Self.analyze, on: stream), RawHTTP2Client.data(head, on: stream)]
                closing.append(RawHTTP2Client.data(framed, on: stream, endStream: true))
            }
            try await client.send(opening + closing.reversed())
            for i in requests.indices {
                let reply = try await client.reply(on: HTTP2StreamID(first + 2 * i))
                #expect(reply.status == 0)
                #expect(try reply.response() == expected[i])
            }
            await client.close()

            // Eight connections at once, each with its share of the requests.
            let answers = try await withThrowingTaskGroup(of: [Int: Pulumirpc_AnalyzeResponse].self) { group in
                for connection in 0..<8 {
                    group.addTask {
                        let client = try await RawHTTP2Client.connect(port: port)
                        var answers: [Int: Pulumirpc_AnalyzeResponse] = [:]
                        for (n, index) in stride(from: connection, to: requests.count, by: 8).enumerated() {
                            answers[index] = try await client.call(Self.analyze, requests[index], on: HTTP2StreamID(1 + 2 * n)).response()
                        }
                        await client.close()
                        return answers
                    }
                }
                return try await group.reduce(into: [:]) { $0.merge($1) { a, _ in a } }
            }
            #expect(answers.count == requests.count)
            #expect(requests.indices.allSatisfy { answers[$0] == expected[$0] })
        }
    }
}

/// A TCP connection without HTTP/2: writes some bytes and keeps what comes back until the server closes it.
private final class PlainConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    struct Received {
        var bytes: ByteBuffer
        /// The test gave up waiting and closed the connection itself.
        var closedByClient: Bool
    }

    private var bytes = ByteBuffer()
    private var closedByClient = false
    private let done: EventLoopPromise<Received>

    private init(done: EventLoopPromise<Received>) { self.done = done }

    static func exchange(port: Int, _ text: String, within seconds: Int64 = 20) async throws -> Received {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let connection = PlainConnection(done: loop.makePromise())
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(connection) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: text))
        loop.scheduleTask(in: .seconds(seconds)) {
            connection.closedByClient = true
            channel.close(promise: nil)
        }
        return try await connection.done.futureResult.get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var read = unwrapInboundIn(data)
        bytes.writeBuffer(&read)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed(Received(bytes: bytes, closedByClient: closedByClient))
        context.fireChannelInactive()
    }
}
