import CZlib
import Foundation
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
    ///   makes only zstd-compressed files unreadable).
    public static func read(_ path: String, limit: Int = maxBytes,
                            zstd: ZstdLibrary? = ZstdLibrary.system) throws(InputError) -> [UInt8] {
        do {
            return try read(path, sizeLimit: InputSizeLimit(maxBytes: limit), zstd: zstd)
        } catch {
            if case .inputTooLarge(let file, let limit, _) = error { throw .tooLarge(file: file, limit: limit) }
            throw error
        }
    }

    /// Reads a state, checkpoint or preview input within `sizeLimit`: over its size, `InputError.inputTooLarge`;
    /// a compressed file inflating past its ratio, `InputError.compressionRatio`. Decompression stops as soon as
    /// the output passes the limit, so a bomb costs at most the limit in memory and time.
    public static func read(_ path: String, sizeLimit: InputSizeLimit,
                            zstd: ZstdLibrary? = ZstdLibrary.system) throws(InputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "is a directory, expected a file") }
        return try decompressed(readWhole(path, limit: sizeLimit.maxBytes), file: path, sizeLimit: sizeLimit, zstd: zstd)
    }

    /// Bytes that arrived by other means (a remote backend), decompressed like a file's content when they are
    /// gzip or zstd, within `sizeLimit`. `file` names them in errors.
    public static func decompressed(_ bytes: [UInt8], file: String, sizeLimit: InputSizeLimit,
                                    zstd: ZstdLibrary? = ZstdLibrary.system) throws(InputError) -> [UInt8] {
        if bytes.count > sizeLimit.maxBytes { throw .inputTooLarge(file: file, limit: sizeLimit.maxBytes, decompressed: false) }
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B { return try gunzip(bytes, file: file, sizeLimit: sizeLimit) }
        if bytes.count >= 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F && bytes[3] == 0xFD {
            guard let zstd else {
                throw .decompression(file: file, reason: "zstd-compressed, and the zstd library (\(ZstdLibrary.defaultNames[0])) "
                                     + "is not installed: \(ZstdLibrary.packageHint)")
            }
            return try zstd.decompress(bytes, file: file, sizeLimit: sizeLimit)
        }
        return bytes
    }

    /// The file's bytes, read straight into an array sized from `fstat` (no intermediate `Data` copy). One spare
    /// byte tells whether the file grew since `fstat`; if it did, the rest is read in further blocks.
    static func readWhole(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadable(file: path, reason: errno == EACCES ? "permission denied" : "cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, reason: "read failed") }
        if Int(info.st_size) > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
        var failed = false
        func block(_ size: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { failed = true; break }
                    if n == 0 { break }
                    count += n
                }
            }
        }
        var bytes = block(max(Int(info.st_size), 0) + 1)
        var last = bytes.count
        while !failed && last > 0 && bytes.count > Int(info.st_size) {
            if bytes.count > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
            let more = block(1 << 20)
            last = more.count
            bytes.append(contentsOf: more)
        }
        if failed { throw .unreadable(file: path, reason: "read failed") }
        if bytes.count > limit { throw .inputTooLarge(file: path, limit: limit, decompressed: false) }
        return bytes
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
