import Foundation
@testable import RampartInputs
import Testing

/// `.zst` inputs go through libzstd loaded at run time; without it only they fail, with an error naming the package.
@Suite struct ZstdInputTests {
    @Test func zstdCheckpointReadsLikeTheUncompressedOne() throws {
        let compressed = try InputReader().read(InputSource(path: Fixture.path("compressed/checkpoint-v3-b64-secrets.json.zst")))
        let plain = try Fixture.read("state/diy/checkpoint-v3-b64-secrets.json")
        #expect(compressed.graph.count == 30)
        #expect(compressed.graph.resources.map(\.urn) == plain.graph.resources.map(\.urn))
    }

    @Test func largeZstdInputIsDecodedPastOneOutputBlock() throws {
        let path = Fixture.path("compressed/many-buckets.json.zst")
        let bytes = try FileLoader.read(path)
        #expect(bytes.count == 1_799_901)
        let stack = try InputReader().read(InputSource(path: path))
        #expect(stack.graph.count == 3_001)  // the buckets and the stack resource
    }

    /// The error `read` throws, as the user sees it; nil when it succeeds.
    static func failure(_ path: String, limit: Int = FileLoader.maxBytes, zstd: ZstdLibrary? = ZstdLibrary.system) -> String? {
        do {
            _ = try FileLoader.read(path, limit: limit, zstd: zstd)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func decompressionLimitHolds() {
        let path = Fixture.path("compressed/many-buckets.json.zst")
        #expect(Self.failure(path, limit: 100_000) == "\(path): larger than the limit of 100000 bytes")
    }

    @Test func truncatedZstdDataIsAnError() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixture.path("compressed/checkpoint-v3-b64-secrets.json.zst"))))
        let path = try Fixture.temporaryFile(Array(bytes.prefix(bytes.count / 2)), name: "half.json.zst")
        #expect(Self.failure(path) == "\(path): cannot decompress: truncated zstd data")
    }

    @Test func missingLibraryIsAClearErrorNamingThePackage() throws {
        let missing = ZstdLibrary.load(names: ["libzstd-not-installed.so.9", "/nonexistent/libzstd.so.1"])
        #expect(missing == nil)
        let path = Fixture.path("compressed/checkpoint-v3-b64-secrets.json.zst")
        let message = try #require(Self.failure(path, zstd: missing))
        #expect(message.hasPrefix("\(path): cannot decompress: zstd-compressed, and the zstd library (\(ZstdLibrary.defaultNames[0])) is not installed"))
        #expect(message.hasSuffix(ZstdLibrary.packageHint))
    }

    @Test func missingLibraryLeavesOtherInputsReadable() throws {
        #expect(Self.failure(Fixture.sample("state/diy/checkpoint-v3-b64-secrets.json"), zstd: nil) == nil)
    }

    @Test func aLibraryWithoutTheZstdFunctionsIsNotUsed() {
        // libz is loaded already (Rampart links it) and exports none of the ZSTD_ symbols.
        #expect(ZstdLibrary.load(names: ["libz.so.1", "libz.1.dylib"]) == nil)
    }
}
