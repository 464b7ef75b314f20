import NIOCore
@testable import RampartAnalyzer
import PulumiRPC
import SwiftProtobuf
import Testing

/// gRPC's length-prefixed messages and status text, as the analyzer's transport reads and writes them.
@Suite struct GRPCFramingTests {
    static func framed(_ payload: [UInt8], flag: UInt8 = 0, length: Int? = nil) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(flag)
        buffer.writeInteger(UInt32(length ?? payload.count))
        buffer.writeBytes(payload)
        return buffer
    }

    @Test func readerReassemblesAMessageFromPiecesAndSplitsSeveralFromOnePiece() throws {
        var reader = GRPCMessageReader(maxMessageSize: 100)
        var bytes = Self.framed(Array(1...20))
        for size in [1, 4, 10] {
            reader.append(bytes.readSlice(length: size)!)
            #expect(reader.next().isIncomplete)
        }
        reader.append(bytes)
        #expect(reader.next().bytes == Array(1...20))
        #expect(!reader.hasPartialMessage)

        var several = Self.framed([7, 7])
        several.writeImmutableBuffer(Self.framed([]))
        several.writeImmutableBuffer(Self.framed([9]))
        several.writeImmutableBuffer(Self.framed([1, 2, 3]).getSlice(at: 0, length: 6)!)
        reader.append(several)
        #expect(reader.next().bytes == [7, 7])
        #expect(reader.next().bytes == [])
        #expect(reader.next().bytes == [9])
        #expect(reader.next().isIncomplete)
        #expect(reader.hasPartialMessage)
    }

    @Test func readerRefusesCompressedAndOversizedMessagesFromTheirPrefix() {
        var compressed = GRPCMessageReader(maxMessageSize: 100)
        compressed.append(Self.framed([1], flag: 1))
        #expect(compressed.next().refusal?.code == .unimplemented)

        var oversized = GRPCMessageReader(maxMessageSize: 100)
        oversized.append(Self.framed([], length: 101))
        #expect(oversized.next().refusal == GRPCStatus(.resourceExhausted, "request message of 101 bytes exceeds the limit of 100 bytes"))

        var atLimit = GRPCMessageReader(maxMessageSize: 100)
        atLimit.append(Self.framed(Array(repeating: 5, count: 100)))
        #expect(atLimit.next().bytes?.count == 100)
    }

    @Test func responsesAreSerializedBehindTheirPrefix() throws {
        var info = Pulumirpc_PluginInfo()
        info.version = "1.2.3"
        var framed = try GRPCFramedMessage.encode(info)
        #expect(framed.readInteger(as: UInt8.self) == 0)
        let length = framed.readInteger(as: UInt32.self) ?? 0
        #expect(Int(length) == framed.readableBytes)
        #expect(try Pulumirpc_PluginInfo(serializedBytes: Array(framed.readableBytesView)) == info)
        #expect(try GRPCFramedMessage.encode(Google_Protobuf_Empty()).readableBytes == 5)
    }

    @Test func mapEntriesAreWrittenInKeyOrderSoEqualResponsesAreEqualBytes() throws {
        // A policy's config schema is a Struct: a map, which Swift's dictionaries would write in hash order.
        var schema = Google_Protobuf_Struct()
        let keys = (0..<64).map { "property-\($0)" }
        for key in keys.shuffled() { schema.fields[key] = Google_Protobuf_Value(stringValue: key) }
        var framed = try GRPCFramedMessage.encode(schema)
        framed.moveReaderIndex(forwardBy: 5)
        let written = try Array(framed.readableBytesView).withUnsafeBufferPointer { bytes in
            var written: [String] = []
            var reader = ProtobufReader(bytes, method: "test")
            while try reader.nextField() != nil {  // field 1, one map entry: key (1), then value (2)
                var entry = reader.reader(of: try reader.lengthDelimited())
                _ = try entry.nextField()
                written.append(String(decoding: entry.slice(try entry.lengthDelimited()), as: UTF8.self))
            }
            return written
        }
        #expect(written == keys.sorted())
    }

    @Test func statusMessagesArePercentEncodedOutsidePrintableASCII() {
        #expect(GRPCStatus.percentEncoded("plain text: ok") == "plain text: ok")
        #expect(GRPCStatus.percentEncoded("100%\nnext") == "100%25%0Anext")
        #expect(GRPCStatus.percentEncoded("é") == "%C3%A9")
        #expect(GRPCStatus(AnalyzerError.cancelled).code == .cancelled)
        #expect(GRPCStatus(AnalyzerError.invalidURN("x", field: "urn")).code == .invalidArgument)
    }

    @Test func methodNamesAreTheLastPartOfTheirPaths() {
        for method in AnalyzerMethod.allCases {
            #expect(method.rawValue == "/pulumirpc.Analyzer/" + method.name)
            #expect(AnalyzerMethod(path: method.rawValue) == method)
        }
        #expect(AnalyzerMethod(path: "/pulumirpc.Analyzer/analyze") == nil)
    }
}

extension GRPCMessageReader.Next {
    var bytes: [UInt8]? { if case .message(let message) = self { return Array(message.readableBytesView) } else { return nil } }
    var isIncomplete: Bool { if case .incomplete = self { return true } else { return false } }
    var refusal: GRPCStatus? { if case .refused(let status) = self { return status } else { return nil } }
}
