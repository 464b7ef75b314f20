import Foundation
@testable import RampartInputs
import Testing

/// Large files are read by several threads in slices; whatever the number of readers, and whether the file grew or
/// shrank after its size was taken, the bytes are the file's.
@Suite struct FileReadingTests {
    /// A file a little past the size read in slices. Its bytes repeat with a prime period, so a slice read into the
    /// wrong place would not match.
    static func largeFile() throws -> (path: String, bytes: [UInt8]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let period = (0..<65_521).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var bytes: [UInt8] = []
        while bytes.count < FileLoader.parallelReadMinimum { bytes.append(contentsOf: period) }
        bytes.append(contentsOf: period[..<12_345])
        return (try Fixture.temporaryFile(bytes, name: "large.json"), bytes)
    }

    static func readAll(_ path: String, expecting size: Int, readers: Int, sliceBytes: Int = FileLoader.readSlice) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        return try FileLoader.readAll(fd, expecting: size, path: path, limit: FileLoader.maxBytes, readers: readers,
                                      sliceBytes: sliceBytes)
    }

    /// Slice sizes that cut the file into a few slices, into many (more than the readers, taken in turn), and at
    /// places that are no multiple of a page or of the pieces a slice is read in.
    static let sliceSizes = [FileLoader.readSlice, 1 << 20, 300_007]

    @Test func aLargeFileReadsTheSameWithAnyNumberOfReaders() throws {
        let file = try Self.largeFile()
        for readers in [1, 2, 3, 8, 64] {
            #expect(try FileLoader.readWhole(file.path, limit: FileLoader.maxBytes, readers: readers) == file.bytes)
        }
        for sliceBytes in Self.sliceSizes {
            #expect(try Self.readAll(file.path, expecting: file.bytes.count, readers: 2, sliceBytes: sliceBytes) == file.bytes)
        }
    }

    @Test func aFileThatGrewAfterItsSizeWasTakenIsReadToItsEnd() throws {
        let file = try Self.largeFile()
        let staleSize = FileLoader.parallelReadMinimum + 1_000
        for sliceBytes in Self.sliceSizes {
            #expect(try Self.readAll(file.path, expecting: staleSize, readers: 4, sliceBytes: sliceBytes) == file.bytes)
        }
        #expect(try Self.readAll(file.path, expecting: staleSize, readers: 1) == file.bytes)
    }

    @Test func aFileThatShrankAfterItsSizeWasTakenGivesTheBytesItHas() throws {
        let file = try Self.largeFile()
        let staleSize = file.bytes.count + 5_000_000
        for sliceBytes in Self.sliceSizes {
            #expect(try Self.readAll(file.path, expecting: staleSize, readers: 4, sliceBytes: sliceBytes) == file.bytes)
        }
        #expect(try Self.readAll(file.path, expecting: staleSize, readers: 1) == file.bytes)
    }

    @Test func aFileThatGrowsPastTheLimitWhileReadIsRefused() throws {
        let file = try Self.largeFile()
        let fd = open(file.path, O_RDONLY)
        defer { close(fd) }
        #expect(throws: InputError.self) {
            try FileLoader.readAll(fd, expecting: FileLoader.parallelReadMinimum, path: file.path,
                                   limit: FileLoader.parallelReadMinimum + 100, readers: 4)
        }
    }

    /// A state past the size at which an indented document keeps a compact copy of its values instead of its input
    /// (`JSONCompaction`): every resource is read, with the input offset of its object and its properties.
    @Test func aLargeIndentedStateReadsWithTheInputOffsetsOfItsResources() throws {
        let (text, offsets) = Fixture.indentedState(count: 4_000)
        #expect(text.utf8.count > 1 << 20)
        let path = try Fixture.temporaryFile(Array(text.utf8), name: "indented.json")
        let stack = try InputReader().read(InputSource(path: path))
        #expect(stack.graph.resources.count == 4_000)
        #expect(stack.graph.resources.map(\.byteOffset) == offsets)
        let last = try #require(stack.graph.resources.last)
        #expect(last.name == "b3999" && last.id == "b3999")
        #expect(last.outputs?["size"]?.number == 3999)
        #expect(last.outputs?["tags"]?["name"]?.string == "b\u{e9}3999")
    }

    @Test func smallAndEmptyFilesReadWhole() throws {
        let small = Array("{\"resources\": []}".utf8)
        #expect(try FileLoader.readWhole(try Fixture.temporaryFile(small), limit: 1 << 20, readers: 4) == small)
        #expect(try FileLoader.readWhole(try Fixture.temporaryFile([]), limit: 1 << 20, readers: 4) == [])
    }
}
