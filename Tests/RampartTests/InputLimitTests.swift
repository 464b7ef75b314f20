import Foundation
import RampartInputs
import RampartJSON
import Testing

/// Bounds on state and preview inputs (docs/robustness.md), through the reader and through the CLI.
@Suite struct InputLimitTests {
    static let hostile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    @Test func stackWithMoreResourcesThanTheCapIsRejectedWithTheCount() throws {
        let file = Self.hostile.appendingPathComponent("state/many-resources.json").path
        do {
            _ = try InputReader(maxResources: 100).read(InputSource(path: file))
            Issue.record("accepted")
        } catch {
            #expect(error == .tooManyResources(file: file, count: 1501, limit: 100))
            #expect(error.description.contains("holds 1501 resources, more than the limit of 100"))
        }
        #expect(try InputReader().read(InputSource(path: file)).graph.count == 1501)
    }

    @Test func maxResourcesFlagGivesExitTwoWithOneLocatedLine() throws {
        let file = Self.hostile.appendingPathComponent("state/many-resources.json").path
        let result = try CLIProcess.run(["scan", file, "--quiet", "--max-resources", "10"])
        #expect(result.exitCode == 2)
        #expect(result.stderr == "rampart: error: \(file): at $: holds 1501 resources, more than the limit of 10; expected at most 10 (raise it with --max-resources)\n")
    }

    @Test func documentLargerThanTheSizeLimitIsRejected() {
        let bytes = Array(#"{"version":3,"deployment":{"resources":[]}}"#.utf8)
        #expect(throws: InputError.self) {
            try InputReader(limits: JSONLimits(maxBytes: 16)).read(bytes: bytes, source: InputSource(path: "big.json"))
        }
        do { _ = try InputReader(limits: JSONLimits(maxBytes: 16)).read(bytes: bytes, source: InputSource(path: "big.json")) } catch {
            #expect(error.description.contains("input larger than 16 bytes"))
        }
    }

    @Test func nestingDeeperThanTheLimitIsRejectedWithItsPath() {
        let bytes = Array((#"{"deployment":{"resources":[{"outputs":{"a":"# + String(repeating: "[", count: 40) + "]").utf8)
        do {
            _ = try InputReader(limits: JSONLimits(maxDepth: 32)).read(bytes: bytes, source: InputSource(path: "deep.json"))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("nesting deeper than 32 levels"))
            #expect(error.description.contains("$.deployment.resources[0].outputs.a[0]"))
        }
    }

    @Test func utf16InputIsNamedAsSuch() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("{}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        do { _ = try InputReader().read(bytes: bytes, source: InputSource(path: "w.json")); Issue.record("accepted") } catch {
            #expect(error.description.contains("UTF-16"))
        }
    }

    // MARK: - Inputs that inflate too far (issue #21)

    static func temporary(_ bytes: [UInt8], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-inflation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The error reading `file` within `limit` throws; nil when it reads.
    static func readError(_ file: String, _ limit: InputSizeLimit) -> InputError? {
        do { _ = try InputReader().bounded(by: limit).read(InputSource(path: file)); return nil } catch { return error }
    }

    static var hasZstd: Bool { ZstdLibrary.system != nil }

    @Test func theGeneratedBombsInflateAsDesigned() throws {
        // The generators themselves: a reader with room enough decodes them to the expected size and content.
        let roomy = InputSizeLimit(maxBytes: 1 << 30, maxCompressionRatio: 1_000_000)
        let gzip = try FileLoader.read(try Self.temporary(CompressionBomb.gzip(matches: 100, checksummed: true), name: "b.json.gz"), sizeLimit: roomy)
        #expect(gzip.count == CompressionBomb.opening.count + 1 + 100 * 258)
        #expect(Array(gzip.prefix(CompressionBomb.opening.count)) == CompressionBomb.opening)
        #expect(gzip.dropFirst(CompressionBomb.opening.count).allSatisfy { $0 == 0x20 })
        if Self.hasZstd {
            let zstd = try FileLoader.read(try Self.temporary(CompressionBomb.zstd(blocks: 3), name: "b.json.zst"), sizeLimit: roomy)
            #expect(zstd.count == CompressionBomb.opening.count + 3 * (128 << 10))
            #expect(zstd.dropFirst(CompressionBomb.opening.count).allSatisfy { $0 == 0x20 })
        }
    }

    @Test func gzipBombStopsAtTheCompressionRatioNamingTheFlag() throws {
        let bomb = CompressionBomb.gzip(matches: 20_000)  // 33 KB that inflate to 5 MB
        let file = try Self.temporary(bomb, name: "bomb.json.gz")
        let error = try #require(Self.readError(file, InputSizeLimit(maxBytes: 1 << 30, maxCompressionRatio: 20, ratioFloor: 64 << 10)))
        #expect(error == .compressionRatio(file: file, compressedBytes: bomb.count, inflatedPast: bomb.count * 20, ratio: 20))
        #expect(error.description == "\(file): decompresses to more than \(bomb.count * 20) bytes from \(bomb.count) compressed bytes, "
            + "more than 20× its size (a decompression bomb?); expected at most 20× (raise it with --max-compression-ratio)")
    }

    @Test func gzipBombStopsAtTheSizeLimitNamingTheFlag() throws {
        let file = try Self.temporary(CompressionBomb.gzip(matches: 20_000), name: "bomb.json.gz")
        let error = try #require(Self.readError(file, InputSizeLimit(maxBytes: 1 << 20, maxCompressionRatio: 10_000)))
        #expect(error == .inputTooLarge(file: file, limit: 1 << 20, decompressed: true))
        #expect(error.description == "\(file): decompresses to more than 1048576 bytes, the input size limit (1 MiB); "
            + "expected at most 1048576 bytes (raise it with --max-input-size)")
    }

    @Test(.enabled(if: InputLimitTests.hasZstd)) func zstdBombStopsAtEitherLimit() throws {
        let bomb = CompressionBomb.zstd(blocks: 64)  // 400 bytes that inflate to 8 MiB
        let file = try Self.temporary(bomb, name: "bomb.json.zst")
        #expect(Self.readError(file, InputSizeLimit(maxBytes: 1 << 30, maxCompressionRatio: 100, ratioFloor: 1 << 20))
            == .compressionRatio(file: file, compressedBytes: bomb.count, inflatedPast: 1 << 20, ratio: 100))
        #expect(Self.readError(file, InputSizeLimit(maxBytes: 1 << 20, maxCompressionRatio: 1_000_000))
            == .inputTooLarge(file: file, limit: 1 << 20, decompressed: true))
    }

    @Test func anUncompressedInputOverTheSizeLimitNamesTheFlag() throws {
        let file = try Self.temporary(Array(#"{"version":3,"deployment":{"resources":[]}}"#.utf8), name: "plain.json")
        #expect(Self.readError(file, InputSizeLimit(maxBytes: 16)) == .inputTooLarge(file: file, limit: 16, decompressed: false))
        #expect(Self.readError(file, InputSizeLimit()) == nil)
    }

    @Test func sizesParseWithBinaryAndDecimalUnits() {
        #expect(InputSizeLimit.parseSize("2147483648") == 2_147_483_648)
        #expect(InputSizeLimit.parseSize("512M") == 512 << 20)
        #expect(InputSizeLimit.parseSize("2G") == 2 << 30)
        #expect(InputSizeLimit.parseSize("2GiB") == 2 << 30)
        #expect(InputSizeLimit.parseSize("2g") == 2 << 30)
        #expect(InputSizeLimit.parseSize(" 64 KiB ") == 64 << 10)
        #expect(InputSizeLimit.parseSize("1.5G") == 3 << 29)
        #expect(InputSizeLimit.parseSize("500MB") == 500_000_000)
        #expect(InputSizeLimit.parseSize("1T") == 1 << 40)
        for bad in ["", "G", "0", "-1", "2X", "2 G B", "1e9", "0.0001"] {
            #expect(InputSizeLimit.parseSize(bad) == nil, "\(bad)")
        }
        #expect(InputSizeLimit.describe(2 << 30) == "2 GiB")
        #expect(InputSizeLimit.describe(1_500) == "1500 bytes")
    }

    static let stateWithAPlaintextPassword = #"""
        {"version":3,"deployment":{"resources":[
          {"urn":"urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev","custom":false,"type":"pulumi:pulumi:Stack"},
          {"urn":"urn:pulumi:dev::shop::aws:rds/instance:Instance::db","custom":true,"id":"db-1","type":"aws:rds/instance:Instance",
           "outputs":{"engine":"postgres","password":"Tr0ub4dor-and-3"}}]}}
        """#

    /// What a bomb beside a good state does to a whole run: the good one's findings are reported, the bomb is an
    /// input error, the run exits 2.
    func scanBesideAGoodState(_ bomb: String, flags: [String] = []) throws -> (exitCode: Int32, findings: [String], errors: [String]) {
        let good = try Self.temporary(Array(Self.stateWithAPlaintextPassword.utf8), name: "good.json")
        let result = try CLIProcess.run(["scan", bomb, good, "--report", "json", "--quiet"] + flags, timeout: 120)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["policy"] as? String }
        let errors = (json["inputErrors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        return (result.exitCode, findings, errors)
    }

    @Test func aGzipBombStopsAtTheDefaultsWhileTheOtherInputIsScanned() throws {
        // 490 KB that would inflate to 77 MB: past the 64 MiB floor at 159×, over the default 100×.
        let bomb = try Self.temporary(CompressionBomb.gzip(matches: 300_000), name: "bomb.json.gz")
        let run = try scanBesideAGoodState(bomb)
        #expect(run.exitCode == 2)
        #expect(run.findings.contains("plaintext-secrets-in-state"))
        #expect(run.errors.count == 1)
        #expect(run.errors.first?.hasPrefix("\(bomb): decompresses to more than ") == true)
        #expect(run.errors.first?.hasSuffix("(raise it with --max-compression-ratio)") == true)
    }

    @Test(.enabled(if: InputLimitTests.hasZstd)) func maxInputSizeFlagStopsAZstdBombWhileTheOtherInputIsScanned() throws {
        let bomb = try Self.temporary(CompressionBomb.zstd(blocks: 64), name: "bomb.json.zst")
        let run = try scanBesideAGoodState(bomb, flags: ["--max-input-size", "1M"])
        #expect(run.exitCode == 2)
        #expect(run.findings.contains("plaintext-secrets-in-state"))
        #expect(run.errors == ["\(bomb): decompresses to more than 1048576 bytes, the input size limit (1 MiB); "
            + "expected at most 1048576 bytes (raise it with --max-input-size)"])
    }

    @Test func maxInputSizeFlagRejectsASizeItCannotRead() throws {
        let good = Self.hostile.appendingPathComponent("state/crlf-valid.json").path
        let run = try CLIProcess.run(["scan", good, "--max-input-size", "2X"])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("--max-input-size '2X': expected a size such as 512M, 2G or 1500000000"))
        let ratio = try CLIProcess.run(["scan", good, "--max-compression-ratio", "0"])
        #expect(ratio.exitCode == 2)
        #expect(ratio.stderr.contains("--max-compression-ratio must be at least 1, got 0"))
    }
}
