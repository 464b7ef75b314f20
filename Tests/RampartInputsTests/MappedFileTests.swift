import Foundation
@testable import RampartInputs
import RampartJSON
import RampartModel
import Testing

/// Large uncompressed input files are parsed through a mapping of the file (`MappedFile`): the stack is the one the
/// file's bytes give, and a file cut short or written while it is mapped never ends the process and is reported as
/// changed.
@Suite struct MappedFileTests {
    /// Whether `path` is mapped rather than read (`MappedFile` is not copyable, which `#expect` needs).
    static func maps(_ path: String, maxBytes: Int = FileLoader.maxBytes) -> Bool {
        MappedFile.map(path, maxBytes: maxBytes, workers: 1) != nil
    }

    /// A file of `size` bytes of `fill` past the size from which files are mapped.
    static func plainFile(size: Int = MappedFile.minimumBytes + 12_345, fill: UInt8 = 0x20) throws -> String {
        try Fixture.temporaryFile([UInt8](repeating: fill, count: size), name: "plain.json")
    }

    @Test func aLargeStateIsMappedAndReadsAsTheStackItsBytesGive() throws {
        let state = Fixture.indentedState(count: 42_000)
        let bytes = Array(state.text.utf8)
        #expect(bytes.count > MappedFile.minimumBytes)
        let path = try Fixture.temporaryFile(bytes, name: "large.json")
        #expect(Self.maps(path))
        for jobs in [1, 3] {
            let reader = InputReader(jobs: jobs)
            let mapped = try reader.read(InputSource(path: path))
            let read = try reader.read(bytes: bytes, source: InputSource(path: path))
            #expect(mapped.graph.resources.count == 42_000)
            #expect(mapped.graph.resources.map(\.byteOffset) == state.offsets)
            #expect(mapped.graph.resources.map(\.urn) == read.graph.resources.map(\.urn))
            #expect(mapped.byteCount == read.byteCount)
            let last = try #require(mapped.graph.resources.last)
            #expect(last.outputs?["size"]?.number == 41_999)
            #expect(last.outputs?["ratio"]?.number == 41_999.0 / 8)
            #expect(last.outputs?["tags"]?["name"]?.string == "b\u{e9}41999")
        }
    }

    /// Maps a fresh plain file, checks that it is unchanged, calls `change` with its path, then tells whether the
    /// mapping saw a change, after `check` has looked at its bytes (`MappedFile` is not copyable, which `#expect`
    /// needs, so the test looks through these).
    static func changedAfter(_ change: (String) -> Void, _ check: (UnsafeBufferPointer<UInt8>) -> Void) throws -> Bool? {
        let path = try plainFile()
        guard let file = MappedFile.map(path, maxBytes: FileLoader.maxBytes, workers: 2) else { return nil }
        guard !file.changed else { return nil }
        change(path)
        check(file.bytes)
        return file.changed
    }

    @Test func aFileCutShortWhileMappedReadsZerosPastItsEndAndSaysItChanged() throws {
        let changed = try Self.changedAfter({ #expect(truncate($0, 1 << 20) == 0) }) { bytes in
            // Past the new end: a read the system answers with SIGBUS, which the guard turns into zeros.
            #expect(bytes[8 << 20] == 0)
            #expect(bytes[bytes.count - 1] == 0)
            // Before it, the file's bytes.
            #expect(bytes[1_000] == 0x20)
        }
        #expect(changed == true)
    }

    @Test func aFileWrittenWhileMappedSaysItChanged() throws {
        let changed = try Self.changedAfter({ path in
            // Past the file system's coarsest clock tick, so the write's times differ from those the mapping noted.
            Thread.sleep(forTimeInterval: 0.05)
            let fd = open(path, O_WRONLY)
            #expect(fd >= 0)
            var byte: UInt8 = 0x41
            #expect(pwrite(fd, &byte, 1, 5_000) == 1)
            close(fd)
        }) { bytes in
            #expect(bytes[5_000] == 0x41)
        }
        #expect(changed == true)
    }

    @Test func anUnchangedFileSaysItIsUnchanged() throws {
        let changed = try Self.changedAfter({ _ in }) { bytes in
            #expect(bytes.allSatisfy { $0 == 0x20 })
        }
        #expect(changed == false)
    }

    @Test func smallCompressedAndSpecialFilesAreReadNotMapped() throws {
        let small = try Fixture.temporaryFile(Array("{\"version\": 3}".utf8))
        #expect(!Self.maps(small))
        var gzip = [UInt8](repeating: 0, count: MappedFile.minimumBytes + 1)
        gzip[0] = 0x1F
        gzip[1] = 0x8B
        #expect(!Self.maps(try Fixture.temporaryFile(gzip, name: "state.json.gz")))
        let large = try Self.plainFile()
        #expect(!Self.maps(large, maxBytes: MappedFile.minimumBytes))
        #expect(!Self.maps(try Fixture.temporaryDirectory()))
        #expect(!Self.maps("/dev/zero"))
        #expect(!Self.maps("/no/such/file.json"))
    }

    @Test func aNamedPipeIsReadWithoutBeingOpenedTwice() throws {
        let path = try Fixture.temporaryDirectory() + "/state.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let text = #"{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", "type": "aws:s3/bucket:Bucket", "custom": true}]}}"#
        // The writer waits for a reader, writes once and closes: a reader that opened the pipe and closed it unread
        // would leave the next open waiting for a writer that never comes.
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            close(fd)
        }
        writer.start()
        #expect(!Self.maps(path))
        let stack = try InputReader().read(InputSource(path: path))
        #expect(stack.graph.resources.map(\.name) == ["b"])
    }

    @Test func aMappingGivesItsGuardBackWhenItGoes() throws {
        let path = try Self.plainFile()
        // More mappings, one after another, than the guard watches at once.
        for _ in 0..<100 {
            guard let file = MappedFile.map(path, maxBytes: FileLoader.maxBytes, workers: 1) else {
                Issue.record("not mapped")
                return
            }
            let count = file.bytes.count
            #expect(count == MappedFile.minimumBytes + 12_345)
        }
    }

    @Test func aBlankOrUTF16LargeFileGivesTheErrorsARead() throws {
        let blank = try Self.plainFile()
        #expect(throws: InputError.empty(file: blank)) { try InputReader().read(InputSource(path: blank)) }
        var utf16 = [UInt8](repeating: 0x20, count: MappedFile.minimumBytes + 2)
        (utf16[0], utf16[1]) = (0xFF, 0xFE)
        let path = try Fixture.temporaryFile(utf16)
        #expect(throws: InputError.self) { try InputReader().read(InputSource(path: path)) }
        let broken = try Fixture.temporaryFile(Array(Fixture.indentedState(count: 42_000).text.utf8.dropLast(3)))
        let error = InputReader().failure(path: broken)
        #expect(error?.contains("line") == true)
    }
}

extension InputReader {
    /// Reads a file; returns the error description on failure.
    func failure(path: String) -> String? {
        do {
            _ = try read(InputSource(path: path))
            return nil
        } catch {
            return error.description
        }
    }
}
