import AnalyzerDriver
import Foundation
import NIOCore
import NIOHTTP2
import PulumiRPC
import SwiftProtobuf
import Testing

/// A second HTTP/2 implementation as the client: gRPC core, through Python's `grpcio` (the library Pulumi's Python SDK
/// is built on). The analyzer's server is our own HTTP/2, so what NIO's client gets (`RawHTTP2Client`) is checked
/// against what gRPC core gets for the same requests: small and large ones, a response far past gRPC core's initial
/// 64 KiB windows, errors, and concurrent calls. Skipped without grpcio, except in CI (`CI` set), where `.ci/run`
/// installs it and this must run.
@Suite(.enabled(if: GRPCIOClient.enabled, GRPCIOClient.skipReason))
struct GRPCIOInteropTests {
    typealias H = AnalyzerHarness

    struct Call {
        var path: String
        var request: any Message
        /// Responses are compared as messages: a map field's entries (a policy's config schema) may come in any order.
        var response: any Message.Type = Pulumirpc_AnalyzeResponse.self
    }

    @Test func gRPCCoreGetsTheAnswersNIOsClientGets() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        var calls = [Call(path: "/pulumirpc.Analyzer/Handshake", request: Pulumirpc_AnalyzerHandshakeRequest(),
                          response: Pulumirpc_AnalyzerHandshakeResponse.self),
                     Call(path: "/pulumirpc.Analyzer/GetAnalyzerInfo", request: Google_Protobuf_Empty(),
                          response: Pulumirpc_AnalyzerInfo.self)]
        for index in stack.graph.resources.indices {
            calls.append(Call(path: "/pulumirpc.Analyzer/Analyze", request: try H.analyzeRequest(stack, index)))
        }
        let subnet = try #require(stack.graph.resources.indices.first { stack.graph.resources[$0].type == "aws:ec2/subnet:Subnet" })
        // A request of 300 KB, past the analyzer's first windows, in many DATA frames.
        var large = try H.analyzeRequest(stack, subnet)
        large.properties.fields["userData"] = Google_Protobuf_Value(stringValue: String(repeating: "#!/bin/sh\n", count: 30_000))
        calls.append(Call(path: "/pulumirpc.Analyzer/Analyze", request: large))
        // A response of hundreds of KB: every route copied 600 times, each copy a violation of the stack policy.
        var stackRequest = try H.analyzeStackRequest(stack)
        let routes = stackRequest.resources.filter { $0.type == "aws:ec2/route:Route" }
        for copy in 0..<600 {
            for route in routes {
                var copied = route
                copied.urn += "-copy-\(copy)"
                copied.name += "-copy-\(copy)"
                stackRequest.resources.append(copied)
            }
        }
        calls.append(Call(path: "/pulumirpc.Analyzer/AnalyzeStack", request: stackRequest))
        var invalid = try H.analyzeRequest(stack, subnet)
        invalid.urn = "ünïcode 100% not a urn"
        calls.append(Call(path: "/pulumirpc.Analyzer/Analyze", request: invalid))
        calls.append(Call(path: "/pulumirpc.Analyzer/AnalyzeEverything", request: Google_Protobuf_Empty()))

        let process = try AnalyzerProcess(executable: H.executable("rampart-analyzer-fixture"),
                                          directory: H.fixtures.appendingPathComponent("packs/combined").path)
        defer { process.stop() }
        let client = try await RawHTTP2Client.connect(port: process.port)
        var expected: [RawHTTP2Client.Reply] = []
        for (i, call) in calls.enumerated() {
            expected.append(try await client.call(call.path, call.request, on: HTTP2StreamID(1 + 2 * i)))
        }
        await client.close()
        let subnetCall = 2 + subnet
        let result = try GRPCIOClient.run(port: process.port, calls: calls, concurrent: (subnetCall, 200))

        #expect(result.answers.count == calls.count)
        for (i, (answer, reply)) in zip(result.answers, expected).enumerated() {
            #expect(answer.code == reply.status, "call \(i) \(calls[i].path)")
            #expect((answer.response == nil) == (reply.status != 0), "call \(i) \(calls[i].path)")
            if let bytes = answer.response, let expected = Self.message(reply) {
                let type = calls[i].response
                #expect(try type.init(serializedBytes: bytes).isEqualTo(message: type.init(serializedBytes: expected)),
                        "call \(i) \(calls[i].path)")
            }
            if reply.status != 0 { #expect(answer.details == reply.message, "call \(i)") }
        }
        // The calls did what they were meant to: the large response is large, the errors are errors.
        let stackResponse = try Pulumirpc_AnalyzeResponse(serializedBytes: try #require(result.answers[calls.count - 3].response))
        #expect(stackResponse.diagnostics.count > 600 * routes.count)
        #expect(try #require(result.answers[calls.count - 3].response).count > 200_000)
        #expect(result.answers[calls.count - 2].code == 3)
        #expect(result.answers[calls.count - 2].details == "urn: 'ünïcode 100% not a urn' is not a Pulumi URN")
        #expect(result.answers[calls.count - 1].code == 12)
        let subnetResponse = try Pulumirpc_AnalyzeResponse(serializedBytes: try #require(result.answers[subnetCall].response))
        #expect(subnetResponse.diagnostics.count == 1)

        #expect(result.concurrent.count == 200)
        #expect(result.concurrent.allSatisfy { $0.code == 0 && $0.response == result.answers[subnetCall].response })
    }

    /// The one response message of a reply, without its 5-byte prefix.
    static func message(_ reply: RawHTTP2Client.Reply) -> [UInt8]? {
        var data = reply.data
        guard data.readInteger(as: UInt8.self) == 0, let length = data.readInteger(as: UInt32.self) else { return nil }
        return data.readBytes(length: Int(length))
    }
}

/// Runs `Fixtures/grpcio/client.py` with a plan of calls and reads back its answers.
enum GRPCIOClient {
    static let required = ProcessInfo.processInfo.environment["CI"] != nil
    static let available: Bool = (try? python(["-c", "import grpc"]).status) == 0
    static let enabled = required || available
    static let skipReason: Comment = "python3 with grpcio is not installed (pip install grpcio); CI always runs this"
    static let script = AnalyzerHarness.fixtures.appendingPathComponent("grpcio/client.py").path

    struct Answer {
        var code: Int
        var details: String
        var response: [UInt8]?
    }

    struct Result {
        var answers: [Answer]
        var concurrent: [Answer]
    }

    static func run(port: Int, calls: [GRPCIOInteropTests.Call], concurrent: (index: Int, count: Int)) throws -> Result {
        let plan: [String: Any] = [
            "port": port,
            "calls": try calls.map { ["path": $0.path, "request": Data(try $0.request.serializedBytes() as [UInt8]).base64EncodedString()] },
            "concurrent": ["index": concurrent.index, "count": concurrent.count],
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("grpcio-plan-\(getpid()).json")
        try JSONSerialization.data(withJSONObject: plan).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output, errors) = try python([script, file.path])
        try #require(status == 0, "client.py exited with \(status): \(errors.suffix(2000))")
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        func answers(_ key: String) throws -> [Answer] {
            try #require(json[key] as? [[String: Any]]).map { item in
                Answer(code: item["code"] as? Int ?? -1, details: item["details"] as? String ?? "",
                       response: (item["response"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
            }
        }
        return Result(answers: try answers("answers"), concurrent: try answers("concurrent"))
    }

    /// Runs python3 with `arguments`, stopping it after two minutes: its exit status, standard output and error.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("grpcio-stderr-\(getpid())-\(UUID()).txt")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errorFile.path])
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, data, errors)
    }
}
