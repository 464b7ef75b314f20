import AnalyzerDriver
import NIOCore
import PulumiRPC
@testable import RampartAnalyzer
import SwiftProtobuf
import Testing

/// `Analyze` and `AnalyzeStack` answers written by hand: the bytes SwiftProtobuf writes for the same message.
@Suite struct AnalyzeResponseWriterTests {
    typealias H = AnalyzerHarness

    static func expectSameBytes(_ response: Pulumirpc_AnalyzeResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = Array(AnalyzeResponseWriter.framed(response).readableBytesView)
        let encoded = Array(try GRPCFramedMessage.encode(response).readableBytesView)
        // Where they part, rather than two long arrays.
        let firstDifference = (0..<min(written.count, encoded.count)).first { written[$0] != encoded[$0] } ?? min(written.count, encoded.count)
        let same = written == encoded
        #expect(same, "\(written.count) bytes written, \(encoded.count) encoded; first difference at byte \(firstDifference)",
                sourceLocation: sourceLocation)
    }

    @Test func everyFieldAndEdgeOfTheWireFormatIsWrittenAsSwiftProtobufWritesIt() throws {
        var diagnostic = Pulumirpc_AnalyzeDiagnostic()
        diagnostic.policyName = "s3-bucket-logging-enabled"
        diagnostic.policyPackName = "awsguard"
        diagnostic.policyPackVersion = "0.1.0"
        diagnostic.description_p = String(repeating: "long enough for a two-byte length ", count: 8)
        diagnostic.message = "Ünïcode — and a line\nbreak"
        diagnostic.enforcementLevel = .mandatory
        diagnostic.urn = "urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs"
        diagnostic.severity = .critical
        // Defaults (empty strings, level advisory, severity unspecified) are left out.
        let sparse = Pulumirpc_AnalyzeDiagnostic()
        var remediate = diagnostic
        remediate.enforcementLevel = .remediate
        remediate.severity = .low
        remediate.policyPackVersion = ""
        var skipped = Pulumirpc_PolicyNotApplicable()
        skipped.policyName = "ec2-instance-no-public-ip"
        skipped.reason = "Policy only applies to resources of type 'aws:ec2/instance:Instance'"
        var nameOnly = Pulumirpc_PolicyNotApplicable()
        nameOnly.policyName = "x"

        try Self.expectSameBytes(Pulumirpc_AnalyzeResponse())
        var response = Pulumirpc_AnalyzeResponse()
        response.diagnostics = [diagnostic, sparse, remediate]
        response.notApplicable = [skipped, nameOnly, Pulumirpc_PolicyNotApplicable()]
        try Self.expectSameBytes(response)
        // A message over 16 KiB: its length takes three bytes.
        response.diagnostics = Array(repeating: diagnostic, count: 60)
        try Self.expectSameBytes(response)
    }

    /// The answers the runner gives for every resource of sample stacks, and for the stacks, with the shipped AWSGuard
    /// sample pack at mixed levels: whatever fields the runner sets, the hand-written bytes carry them.
    @Test func theRunnersAnswersOverSampleStacksAreTheBytesSwiftProtobufWrites() throws {
        let pack = try AnalyzerPackDirectory(directory: H.repository.appendingPathComponent("Samples/pulumi-analyzer").path).load()
        let service = AnalyzerService(pack: pack, pluginVersion: "test")
        var configure = Pulumirpc_ConfigureAnalyzerRequest()
        for (i, entry) in pack.entries.enumerated() {
            configure.policyConfig[entry.wireName] = H.policyConfig(i % 2 == 0 ? .mandatory : .advisory)
        }
        _ = service.configure(configure)
        var levels: Set<Pulumirpc_EnforcementLevel> = [], skipped = 0
        for sample in ["aws-lambda-s3-passphrase.json", "awsx-vpc-nlb-components.json", "eks-cluster-kubernetes-components.json"] {
            let stack = try H.stack(sample)
            let runner = AnalyzeRunner(pack: pack, session: service.session.snapshot)
            for index in stack.graph.resources.indices {
                let bytes: [UInt8] = try H.analyzeRequest(stack, index).serializedBytes()
                let response = try runner.analyze(WireResources.analyzeRequest(ByteBuffer(bytes: bytes), method: .analyze))
                levels.formUnion(response.diagnostics.map(\.enforcementLevel))
                skipped += response.notApplicable.count
                try Self.expectSameBytes(response)
            }
            let stackBytes: [UInt8] = try H.analyzeStackRequest(stack).serializedBytes()
            try Self.expectSameBytes(try runner.analyzeStack(WireResources.analyzeStackRequest(ByteBuffer(bytes: stackBytes))))
        }
        #expect(levels == [.advisory, .mandatory])
        #expect(skipped > 100)
    }
}
