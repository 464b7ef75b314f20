import CZlib
import Foundation
import RampartJSON
import RampartModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files into memory, transparently decompressing `.gz` and `.zst` content (detected by magic bytes).
public enum FileLoader {
    /// Largest file (after decompression) Rampart reads: 4 GiB.
    public static let maxBytes = 4 << 30

    /// Reads a file of at most `limit` bytes (after decompression); over it, `InputError.tooLarge`.
    /// - Parameter zstd: the libzstd used for `.zst` content (loaded at run time; nil when the system lacks it, which
    ///   makes only zstd-compressed files unreadable). Asked for only when the content is zstd: loading the library
    ///   (`dlopen`, ~1 ms) is not paid by every other input on the way to its first byte.
    public static func read(_ path: String, limit: Int = maxBytes,
                            zstd: @autoclosure () -> ZstdLibrary? = ZstdLibrary.system) throws(InputError) -> [UInt8] {
        do {
            return try read(path, sizeLimit: InputSizeLimit(maxBytes: limit), zstd: zstd())
        } catch {
            if case .inputTooLarge(let file, let limit, _) = error { throw .tooLarge(file: file, limit: limit) }
            throw error
        }
    }

    /// Reads a state, checkpoint or preview input within `sizeLimit`: over its size, `InputError.inputTooLarge`;
    /// a compressed file inflating past its ratio, `InputError.compressionRatio`. Decompression stops as soon as
    /// the output passes the limit, so a bomb costs at most the limit in memory and time.
    /// - Parameter readers: how many threads may copy a large file's bytes at once (`InputReader.jobs`).
    public static func read(_ path: String, sizeLimit: InputSizeLimit,
                            zstd: @autoclosure () -> ZstdLibrary? = ZstdLibrary.system, readers: Int = 1) throws(InputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "is a directory, expected a file") }
        return try decompressed(readWhole(path, limit: sizeLimit.maxBytes, readers: readers), file: path,
                                sizeLimit: sizeLimit, zstd: zstd())
    }

    /// Bytes that arrived by other means (a remote backend), decompressed like a file's content when they are
    /// gzip or zstd, within `sizeLimit`. `file` names them in errors.
    public static func decompressed(_ bytes: [UInt8], file: String, sizeLimit: InputSizeLimit,
                                    zstd: @autoclosure () -> ZstdLibrary? = ZstdLibrary.system) throws(InputError) -> [UInt8] {
        if bytes.count > sizeLimit.maxBytes { throw .inputTooLarge(file: file, limit: sizeLimit.maxBytes, decompressed: false) }
        if isGzip(bytes) { return try gunzip(bytes, file: file, sizeLimit: sizeLimit) }
        if isZstd(bytes) {
            guard let zstd = zstd() else {
                throw .decompression(file: file, reason: "zstd-compressed, and the zstd library (\(ZstdLibrary.defaultNames[0])) "
                                     + "is not installed: \(ZstdLibrary.packageHint)")
            }
            return try zstd.decompress(bytes, file: file, sizeLimit: sizeLimit)
        }
        return bytes
    }

    /// Whether content starting with `prefix` is gzip or zstd (by their magic bytes), which is inflated when read.
    static func isCompressed<Prefix: Collection<UInt8>>(_ prefix: Prefix) -> Bool {
        isGzip(prefix) || isZstd(prefix)
    }

    private static func isGzip<Prefix: Collection<UInt8>>(_ prefix: Prefix) -> Bool {
        prefix.starts(with: [0x1F, 0x8B])
    }

    private static func isZstd<Prefix: Collection<UInt8>>(_ prefix: Prefix) -> Bool {
        prefix.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    }

    /// Files at least this large are copied out of the page cache by several threads, each `pread`ing its own
    /// slice: for a cached file that copy (and faulting in the fresh buffer) is the whole cost of reading, and it
    /// divides between cores. Smaller files are not worth a thread.
    static let parallelReadMinimum = 16 << 20

    /// A reading thread maps and fills its slice this much at a time. Mapping holds the process's address-space lock
    /// for as long as it runs: mapping a 100 MB slice in one call kept the other threads from creating a thread stack
    /// or growing a heap for ~43 ms (`strace -T`), so the second reader and the pack loader started only after the
    /// first slice was in. A MiB took ~0.4 ms, and the pack loader, which grows its heap with `mprotect` dozens of
    /// times while the file is read, waited that long for the lock each time, with both readers queued behind it
    /// (`perf record -e sched:sched_switch`: the read phase's threads were off the CPU ~40 % of the time). A quarter
    /// of that keeps the waits short; smaller pieces cost more calls than they save (docs/performance.md, round
    /// sixteen).
    static let populatePiece = 1 << 18

    /// The readers take the file in slices of about this size, each taking the next slice not yet taken when it is
    /// done with one, rather than a fixed half each: a reader that starts late (its core busy with the pack loader
    /// at start-up) then reads fewer slices, instead of the other core idling while it finishes its half (~10 ms of
    /// a 200 MB read, docs/performance.md, round seventeen). The last slice still keeps one reader busy while the
    /// other waits: with 8 MiB slices, up to ~4 ms of the compliant 100k read (`perf`, round twenty-one).
    static let readSlice = 2 << 20

    /// The file's bytes, read straight into an array sized from `fstat` (no intermediate `Data` copy), by up to
    /// `readers` threads when it is large. One spare byte tells whether the file grew since `fstat`; if it did, the
    /// rest is read in further blocks. A file that shrank meanwhile gives the bytes up to its first short slice.
    static func readWhole(_ path: String, limit: Int, readers: Int = 1) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadable(file: path, reason: errno == EACCES ? "permission denied" : "cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, reason: "read failed") }
        if Int(info.st_size) > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
        return try readAll(fd, expecting: max(Int(info.st_size), 0), path: path, limit: limit, readers: readers)
    }

    /// Reads `fd` from offset 0 to its end, expecting `size` bytes (the size `fstat` gave; the file may have grown
    /// or shrunk since), several readers taking slices of about `sliceBytes`.
    static func readAll(_ fd: Int32, expecting size: Int, path: String, limit: Int,
                        readers: Int, sliceBytes: Int = readSlice) throws(InputError) -> [UInt8] {
        var failed = false
        func block(_ size: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                (count, failed) = fill(fd, buffer, at: nil)
            }
        }
        var bytes = readers > 1 && size >= parallelReadMinimum
            ? sliced(fd, size: size, readers: readers, sliceBytes: sliceBytes, failed: &failed)
            : block(size + 1)
        var last = bytes.count
        while !failed && last > 0 && bytes.count > size {
            if bytes.count > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
            let more = block(1 << 20)
            last = more.count
            bytes.append(contentsOf: more)
        }
        if failed { throw .unreadable(file: path, reason: "read failed") }
        if bytes.count > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
        return bytes
    }

    /// `size` bytes read in contiguous slices of about `sliceBytes` by up to `readers` threads, each taking the next
    /// slice when done with one; then the spare byte at `size`. The descriptor's offset is left after the bytes
    /// returned, so `readWhole` can go on reading a file that grew.
    private static func sliced(_ fd: Int32, size: Int, readers: Int, sliceBytes: Int, failed: inout Bool) -> [UInt8] {
        let workers = min(readers, 8)
        let slices = Parallel.taskCount(items: size, workers: workers, minimum: sliceBytes, perWorker: 64)
        var anyFailed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            let region = ReadRegion(buffer: buffer)
            let results = Parallel.map(slices, workers: workers) { slice in
                let range = Parallel.slice(slice, of: slices, items: size)
                return region.fill(fd, range)
            }
            // The first short slice is where the file ended (it shrank after `fstat`).
            count = 0
            for (slice, result) in results.enumerated() {
                anyFailed = anyFailed || result.failed
                count += result.count
                if result.count < Parallel.slice(slice, of: slices, items: size).count { return }
            }
            let spare = fill(fd, UnsafeMutableBufferPointer(rebasing: buffer[size...]), at: size)
            count += spare.count
            anyFailed = anyFailed || spare.failed
        }
        failed = anyFailed
        if !failed && lseek(fd, off_t(bytes.count), SEEK_SET) < 0 { failed = true }
        return bytes
    }

    /// Fills `buffer` from `fd` (at `offset` with `pread`, else at the descriptor's offset) until it is full, the
    /// file ends or a read fails: the bytes read, and whether a read failed.
    fileprivate static func fill(_ fd: Int32, _ buffer: UnsafeMutableBufferPointer<UInt8>,
                                 at offset: Int?) -> (count: Int, failed: Bool) {
        var count = 0
        while count < buffer.count {
            let n = offset.map { systemRead(fd, buffer.baseAddress! + count, buffer.count - count, at: $0 + count) }
                ?? systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return (count, true) }
            if n == 0 { break }
            count += n
        }
        return (count, false)
    }

    /// `read(2)`, named through the platform's C module because `FileLoader.read` shadows the bare name.
    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
        #elseif canImport(Musl)
        return Musl.read(fd, buffer, count)
        #elseif canImport(Darwin)
        return Darwin.read(fd, buffer, count)
        #endif
    }

    /// `pread(2)`: reads at `offset` without moving the descriptor's offset, so slices can be read at once.
    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: Int) -> Int {
        pread(fd, buffer, count, off_t(offset))
    }

    static func gunzip(_ input: [UInt8], file: String, sizeLimit: InputSizeLimit) throws(InputError) -> [UInt8] {
        let limit = sizeLimit.inflationLimit(compressedBytes: input.count).bytes
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .decompression(file: file, reason: "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(input.count * 8, limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var failure: String?
        var overLimit = false
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    output.append(contentsOf: outBuf.prefix(produced))
                }
                if output.count > limit { overLimit = true; return }
                if status == Z_STREAM_END && stream.avail_in > 0 {
                    // Concatenated gzip members.
                    inflateReset(&stream)
                    status = Z_OK
                }
            } while status == Z_OK
            if !overLimit && status != Z_STREAM_END {
                failure = status == Z_BUF_ERROR ? "truncated gzip data" : "corrupt gzip data"
            }
        }
        if overLimit { throw sizeLimit.inflationError(file: file, compressedBytes: input.count) }
        if let failure { throw .decompression(file: file, reason: failure) }
        return output
    }
}

/// The buffer `FileLoader.sliced` fills, shared by its reading threads.
/// `@unchecked Sendable` is safe here: each thread writes only its own slice of the buffer, the slices do not
/// overlap, and the buffer outlives `Parallel.map`, which returns only after every thread has finished.
private struct ReadRegion: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt8>

    /// Maps and reads `range` in pieces of `FileLoader.populatePiece` bytes; stops at the first short or failed piece.
    func fill(_ fd: Int32, _ range: Range<Int>) -> (count: Int, failed: Bool) {
        var count = 0
        var at = range.lowerBound
        while at < range.upperBound {
            let piece = at..<min(at + FileLoader.populatePiece, range.upperBound)
            let slice = UnsafeMutableBufferPointer(rebasing: buffer[piece])
            if let start = slice.baseAddress {
                MemoryPages.populate(from: UnsafeMutableRawPointer(start), to: UnsafeMutableRawPointer(start + slice.count))
            }
            let result = FileLoader.fill(fd, slice, at: piece.lowerBound)
            count += result.count
            if result.failed || result.count < piece.count { return (count, result.failed) }
            at = piece.upperBound
        }
        return (count, false)
    }
}
