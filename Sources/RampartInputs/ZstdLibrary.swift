import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// libzstd, loaded at run time so that building Rampart needs no zstd headers: only `.zst` inputs need the
/// shared library, which Debian/Ubuntu base systems carry (`libzstd1`). The handful of functions the streaming
/// decoder needs are declared here with their C signatures (zstd.h, stable since zstd 1.0).
public struct ZstdLibrary: @unchecked Sendable {
    // @unchecked: the fields are C function pointers resolved once from a library that is never closed; they
    // hold no Swift state, and each decompression creates its own decoder context.
    typealias CreateDStream = @convention(c) () -> OpaquePointer?
    typealias FreeDStream = @convention(c) (OpaquePointer?) -> Int
    typealias InitDStream = @convention(c) (OpaquePointer?) -> Int
    typealias DStreamOutSize = @convention(c) () -> Int
    /// `size_t ZSTD_decompressStream(ZSTD_DStream*, ZSTD_outBuffer*, ZSTD_inBuffer*)`; both buffers are
    /// `{ void *ptr; size_t size; size_t pos; }`, passed here as three machine words.
    typealias DecompressStream = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt>, UnsafeMutablePointer<UInt>) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32

    let createDStream: CreateDStream
    let freeDStream: FreeDStream
    let initDStream: InitDStream
    let dStreamOutSize: DStreamOutSize
    let decompressStream: DecompressStream
    let isError: IsError

    /// The file names tried, in order, by the default loader.
    public static let defaultNames: [String] = {
        #if canImport(Darwin)
        return ["libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib"]
        #else
        return ["libzstd.so.1"]
        #endif
    }()

    /// What to install when the library is missing, for the error message.
    public static let packageHint: String = {
        #if canImport(Darwin)
        return "install zstd (Homebrew: brew install zstd)"
        #else
        return "install the libzstd1 package (Debian/Ubuntu: apt-get install libzstd1)"
        #endif
    }()

    /// The library loaded from `defaultNames`, resolved once per process; nil when it is absent.
    public static let system: ZstdLibrary? = load(names: defaultNames)

    /// Loads the first of `names` that `dlopen` finds and that exports every function needed; nil when none does.
    public static func load(names: [String]) -> ZstdLibrary? {
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            func symbol<T>(_ symbolName: String, as type: T.Type) -> T? {
                guard let address = dlsym(handle, symbolName) else { return nil }
                return unsafeBitCast(address, to: type)
            }
            guard let create = symbol("ZSTD_createDStream", as: CreateDStream.self),
                  let free = symbol("ZSTD_freeDStream", as: FreeDStream.self),
                  let initialise = symbol("ZSTD_initDStream", as: InitDStream.self),
                  let outSize = symbol("ZSTD_DStreamOutSize", as: DStreamOutSize.self),
                  let decompress = symbol("ZSTD_decompressStream", as: DecompressStream.self),
                  let isError = symbol("ZSTD_isError", as: IsError.self)
            else {
                dlclose(handle)
                continue
            }
            // The handle stays open for the life of the process: the function pointers above point into it.
            return ZstdLibrary(createDStream: create, freeDStream: free, initDStream: initialise,
                               dStreamOutSize: outSize, decompressStream: decompress, isError: isError)
        }
        return nil
    }

    /// Decompresses a whole zstd stream (one or more frames), stopping as soon as the output passes `sizeLimit`.
    func decompress(_ input: [UInt8], file: String, sizeLimit: InputSizeLimit) throws(InputError) -> [UInt8] {
        let limit = sizeLimit.inflationLimit(compressedBytes: input.count).bytes
        guard let stream = createDStream() else { throw .decompression(file: file, reason: "zstd initialisation failed") }
        defer { _ = freeDStream(stream) }
        if isError(initDStream(stream)) != 0 { throw .decompression(file: file, reason: "zstd initialisation failed") }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(dStreamOutSize(), 1 << 16))
        var failure: String?
        var overLimit = false
        var lastHint = 0
        var outputFull = false
        // [pointer, size, pos] for ZSTD_inBuffer and ZSTD_outBuffer.
        var inBuffer: [UInt] = [0, 0, 0]
        var outBuffer: [UInt] = [0, 0, 0]
        input.withUnsafeBufferPointer { inBuf in
            inBuffer = [UInt(bitPattern: inBuf.baseAddress), UInt(inBuf.count), 0]
            while inBuffer[2] < inBuffer[1] || outputFull {
                // A full output buffer may leave decoded bytes inside the decoder: call again to flush them.
                chunk.withUnsafeMutableBufferPointer { outBuf in
                    outBuffer = [UInt(bitPattern: outBuf.baseAddress), UInt(outBuf.count), 0]
                    let hint = inBuffer.withUnsafeMutableBufferPointer { inWords in
                        outBuffer.withUnsafeMutableBufferPointer { outWords in
                            decompressStream(stream, outWords.baseAddress!, inWords.baseAddress!)
                        }
                    }
                    if isError(hint) != 0 { failure = "corrupt zstd data"; return }
                    lastHint = hint
                    outputFull = outBuffer[2] == outBuffer[1]
                    output.append(contentsOf: outBuf.prefix(Int(outBuffer[2])))
                }
                if failure != nil { return }
                if output.count > limit { overLimit = true; return }
            }
        }
        if overLimit { throw sizeLimit.inflationError(file: file, compressedBytes: input.count) }
        if failure == nil && lastHint != 0 { failure = "truncated zstd data" }
        if let failure { throw .decompression(file: file, reason: failure) }
        return output
    }
}
