#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RampartJSON

/// The compaction's last steps, moving a part's compact bytes down to their place and giving back the pages past
/// the copy, done in slices on several threads: the bytes end where one `memmove` and one `madvise` leave them.
@Suite struct MemoryMovesTests {
    static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [1, 2, 3, 8])
    func aMoveDownInSlicesCopiesWhatOneMoveCopies(workers: Int) {
        // Apart (the slices copied at once) and overlapping (one move), at several distances.
        for (length, distance) in [(100_000, 100_000), (100_000, 250_001), (99_999, 40_000), (5, 5), (0, 10)] {
            var bytes = Self.pattern(length + distance, seed: UInt64(length + distance))
            let expected = Array(bytes[distance..<(distance + length)]) + bytes[length...]
            bytes.withUnsafeMutableBytes { raw in
                JSONCompactor.moveDown(to: raw.baseAddress!, from: raw.baseAddress! + distance, byteCount: length,
                                       workers: workers, minimum: 1_000)
            }
            // One Boolean: a failed comparison of the arrays themselves would print both.
            let same = bytes == expected
            #expect(same, "length \(length), distance \(distance)")
        }
    }

    /// A tape mapped a window at a time (`JSONParser.tapeWindow`), past several windows, past its first capacity
    /// (a minified array has many more values than the capacity guessed from its bytes) and around spliced
    /// stretches: every value is where it was written.
    @Test(arguments: [1, 3])
    func aTapeWrittenPastItsWindowsAndItsCapacityHoldsEveryValue(workers: Int) throws {
        let count = 5 * JSONParser.tapeWindow + 123
        let bytes = Array(("[" + (0..<count).map { String($0 % 10) }.joined(separator: ",") + "]").utf8)
        let document = try JSONDocument.parse(bytes, compaction: .never)
        #expect(document.tape.count > 4 * JSONParser.initialTapeCapacity(forInputBytes: bytes.count))
        let values = document.root.elements.map { $0.int ?? -1 }
        #expect(values.count == count)
        #expect(values.enumerated().allSatisfy { $0.element == $0.offset % 10 })
        // In stretches spliced into the document's tape: the same tape.
        let spliced = try bytes.withUnsafeBufferPointer {
            try JSONParser.parse($0, limits: JSONLimits(), workers: workers, minimumStretchInput: 1 << 12, stretchesFirst: true)
        }
        #expect(spliced.tape == document.tape)
    }

    #if canImport(Glibc)
    @Test(arguments: [1, 2, 3, 8])
    func pagesGivenBackInSlicesReadAsZerosAndNothingElseChanges(workers: Int) throws {
        let size = 64 << 16  // 4 MiB, mapped on its own so its pages are the test's
        let mapped = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, size) }
        let bytes = mapped.bindMemory(to: UInt8.self, capacity: size)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for i in 0..<size { bytes[i] = 0xA5 }
        // From inside a page to inside another: the whole pages between go, the partial ones at the ends stay.
        let from = 3 * page + 17, to = size - 2 * page - 5
        MemoryPages.release(from: mapped + from, to: mapped + to, workers: workers, minimum: 100_000)
        let firstWhole = 4 * page, pastLastWhole = size - 3 * page
        #expect((0..<firstWhole).allSatisfy { bytes[$0] == 0xA5 })
        #expect((firstWhole..<pastLastWhole).allSatisfy { bytes[$0] == 0 })
        #expect((pastLastWhole..<size).allSatisfy { bytes[$0] == 0xA5 })
    }
    #endif
}

/// A document's storage discarded before the process exits: its whole pages are given back, the rest kept.
@Suite struct DocumentDiscardTests {
    @Test(arguments: [1 << 16, 100_000, JSONDocument.discardedBytesPerCall])
    func aDiscardedDocumentsWholePagesReadZeroAndItsArraysStayWhole(piece: Int) throws {
        // ~1.7 MB of bytes and a tape of several pages: whole pages inside both, in one piece or many.
        let json = "[" + (0..<60_000).map { #"{"k": "value-\#($0)"}"# }.joined(separator: ",") + "]"
        let document = try JSONDocument.parse(Array(json.utf8), compaction: .never)
        #expect(document.bytes[1] == UInt8(ascii: "{"))
        document.discardStorage(piece: piece)
        #if canImport(Glibc)
        // Linux gives the pages back: they read as zeros. The arrays' headers, before their first element, are kept.
        for fraction in [0.1, 0.5, 0.9] {
            #expect(document.bytes[Int(Double(document.bytes.count) * fraction)] == 0)
            #expect(document.tape[Int(Double(document.tape.count) * fraction)] == 0)
        }
        #endif
        #expect(document.bytes.count == json.utf8.count)
        #expect(document.tape.count > 60_000)
    }
}
