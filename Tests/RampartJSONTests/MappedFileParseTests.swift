import Foundation
@testable import RampartJSON
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A document parsed from a mapped file (`JSONDocument.parse(mappedFile:)`) is the document its bytes give, keeps
/// nothing of the mapping, and a compaction that finds its input changed since the parse gives nothing rather than
/// a copy written past its room.
@Suite struct MappedFileParseTests {
    #if canImport(Glibc)
    /// Calls `body` with a private read-only mapping of a file holding `bytes`.
    static func withMappedFile<R>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-map-\(UUID().uuidString).json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let start = try #require(mmap(nil, bytes.count, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(start != MAP_FAILED)
        defer { munmap(start, bytes.count) }
        return try body(UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    @Test(arguments: [1, 2, 3, 8])
    func aMappedFileParsesToTheDocumentItsBytesGive(workers: Int) throws {
        let bytes = Array(ParallelCompactionTests.document().utf8)
        var compaction = JSONCompaction.always
        compaction.cutInterval = 7
        let inPlace = try JSONDocument.parse(bytes, compaction: compaction, workers: workers)
        let kept = try JSONDocument.parse(bytes, compaction: .never)
        try Self.withMappedFile(bytes) { file in
            let compact = try #require(try JSONDocument.parse(mappedFile: file, compaction: compaction, workers: workers))
            #expect(compact.isCompacted)
            #expect(compact.bytes == inPlace.bytes && compact.tape == inPlace.tape)
            ParallelCompactionTests.expectSameReads(kept, compact, valuesAtLeast: 800)
            let copied = try #require(try JSONDocument.parse(mappedFile: file, compaction: .never, workers: workers))
            #expect(!copied.isCompacted)
            #expect(copied.bytes == bytes && copied.tape == kept.tape)
        }
    }

    @Test func aLargeMappedFileGivesItsPagesBackAndStillReadsTheFile() throws {
        // Parts of more than `releasedSourceStep` each, so that pages are given back behind them.
        var text = "{\n  \"items\": [\n"
        var k = 0
        while text.utf8.count < 3 * JSONCompactor.releasedSourceStep {
            text += "    {\n      \"name\": \"item-\(k)\",\n      \"size\": \(k)\n    },\n"
            k += 1
        }
        text += "    null\n  ]\n}\n"
        let bytes = Array(text.utf8)
        let inPlace = try JSONDocument.parse(bytes, workers: 2)
        try Self.withMappedFile(bytes) { file in
            let mapped = try #require(try JSONDocument.parse(mappedFile: file, workers: 2))
            #expect(mapped.isCompacted)
            #expect(mapped.bytes == inPlace.bytes && mapped.tape == inPlace.tape)
            #expect(mapped.root["items"]?[k - 1]?["name"]?.string == "item-\(k - 1)")
            // Pages given back read the file again.
            #expect(Array(file) == bytes)
        }
    }

    /// KiB of the mapping at `start` in memory (`Rss` in `/proc/self/smaps`), nil when no mapping starts there.
    static func residentKiB(ofMappingAt start: UnsafeRawPointer) throws -> Int? {
        // Read to its end: the file reports no size, so a read sized from it gets nothing.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let address = String(UInt(bitPattern: start), radix: 16)
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), !line.hasPrefix("Rss"), line.prefix(upTo: dash).allSatisfy(\.isHexDigit) {
                inMapping = line.prefix(upTo: dash).drop { $0 == "0" } == address.drop { $0 == "0" }
            } else if inMapping, line.hasPrefix("Rss:") {
                return Int(line.split(separator: " ")[1])
            }
        }
        return nil
    }

    @Test(arguments: [JSONCompaction.always, .never])
    func aMappedFileHoldsNoMemoryOnceParsed(compaction: JSONCompaction) throws {
        let bytes = Array(ParallelCompactionTests.document().utf8)
        try Self.withMappedFile(bytes) { file in
            let base = try #require(file.baseAddress)
            _ = file.reduce(0) { $0 &+ Int($1) }
            #expect(try Self.residentKiB(ofMappingAt: base) ?? 0 > 0)
            let document = try #require(try JSONDocument.parse(mappedFile: file, compaction: compaction, workers: 2))
            #expect(document.isCompacted == (compaction == .always))
            let resident = try Self.residentKiB(ofMappingAt: base)
            #expect(resident == 0, "\(String(describing: resident)) KiB of \(bytes.count / 1024)")
        }
    }

    @Test func aMappedFileThatIsNotJSONThrowsWhereItBreaks() throws {
        let bytes = Array("{\n  \"a\": [1, 2,]\n}\n".utf8)
        var expected: JSONError?
        do { _ = try JSONDocument.parse(bytes) } catch { expected = error }
        #expect(expected?.line == 2)
        try Self.withMappedFile(bytes) { file in
            do {
                _ = try JSONDocument.parse(mappedFile: file)
                Issue.record("parsed broken input")
            } catch let error as JSONError {
                #expect(error == expected)
            }
        }
    }
    #endif

    /// Parses `text` as a compaction would have it, changes its bytes with `change`, and compacts it out of place.
    static func compactAfterChange(_ text: String, _ change: (inout [UInt8]) -> Void) throws -> [UInt8]? {
        var bytes = Array(text.utf8)
        var parsed = try bytes.withUnsafeBufferPointer {
            try JSONParser.parse($0, limits: JSONLimits(), recordingLines: true)
        }
        let lines = try #require(parsed.lines)
        change(&bytes)
        return bytes.withUnsafeBufferPointer { input in
            JSONCompactor.compacted(&parsed.tape, input: input, contentBytes: parsed.contentBytes, lines: lines)?.bytes
        }
    }

    @Test func aCompactionOfAnInputChangedSinceItsParseGivesNothing() throws {
        let long = String(repeating: "x", count: Int(Tape.longLength) + 10)
        let text = "[12 , \"ab\", 345, \"cd\", \"\(long)\"]"
        let at = { (needle: String) in Array(text.utf8).firstIndex(of: needle.utf8.first!)! }
        // Unchanged: the copy.
        #expect(try Self.compactAfterChange(text) { _ in } == Array((",12,ab345,cd" + long + "\"").utf8))
        // A number grown into the space after it, and one cut short.
        #expect(try Self.compactAfterChange(text) { $0[at("1") + 2] = 0x33 } == nil)
        #expect(try Self.compactAfterChange(text) { $0[at("3") + 2] = 0x20 } == nil)
        // A long string that lost its closing quote (no quote before the end of the input).
        #expect(try Self.compactAfterChange(text) { $0[$0.count - 2] = 0x78; $0[$0.count - 1] = 0x78 } == nil)
        // A long string that ends early.
        #expect(try Self.compactAfterChange(text) { $0[$0.count - 40] = 0x22 } == nil)
    }
}
