import CMappedFileGuard
import RampartJSON
#if canImport(Glibc)
import Glibc
#endif

/// A large input file read through a private, read-only mapping instead of copied into fresh memory: the parse reads
/// the system's cached pages of the file where they are, and the document keeps only its own copy
/// (`JSONDocument.parse(mappedFile:)`). A read copies the file once and first has the system zero as much fresh
/// memory; on the compliant 100k estate that was a sixth of the scan's CPU (docs/performance.md, round twenty-two).
///
/// Another process may truncate or rewrite the file while it is mapped. A read past the file's new end meets zeros
/// instead of ending the process (`CMappedFileGuard`), and `changed` tells whether the file was cut short or
/// written since it was mapped, so a reader never keeps what it read from a changed file: it reports the change.
/// Linux only (the guard's platform); elsewhere nothing is mapped and files are read.
struct MappedFile: ~Copyable {
    /// The file's bytes, valid until the mapping goes.
    let bytes: UnsafeBufferPointer<UInt8>
    private let descriptor: Int32
    private let watch: Int32
    private let state: State

    /// Files at least this large are mapped (16 MiB, as many as are read by several threads): below it, a read costs
    /// little more than setting up and taking down a mapping.
    static let minimumBytes = FileLoader.parallelReadMinimum

    /// What `fstat` says of the file that would change if it were written or cut: its size and its last modification
    /// and status change times, to the nanosecond.
    private struct State: Equatable {
        var size: Int
        var modified: [Int]
        var changed: [Int]

        #if canImport(Glibc)
        init(_ info: stat) {
            size = Int(info.st_size)
            modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
            changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
        }
        #endif
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, descriptor: Int32, watch: Int32, state: State) {
        self.bytes = bytes
        self.descriptor = descriptor
        self.watch = watch
        self.state = state
    }

    #if canImport(Glibc)
    /// `path` mapped, with its pages brought in on up to `workers` threads, when it is a regular file of at least
    /// `minimumBytes` and at most `maxBytes` whose content is not compressed; nil when it is not, or when it cannot be
    /// mapped or guarded: the caller reads it instead (and meets any error there).
    static func map(_ path: String, maxBytes: Int, workers: Int) -> MappedFile? {
        // Asked of the path before it is opened: opening a named pipe waits for its writer, and closing it unread
        // would cost the writer its data. Non-blocking, in case the path became a pipe since.
        var info = stat()
        guard stat(path, &info) == 0, worthMapping(info, maxBytes: maxBytes) else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        guard fstat(fd, &info) == 0, worthMapping(info, maxBytes: maxBytes) else {
            close(fd)
            return nil
        }
        let size = Int(info.st_size)
        guard let start = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), start != MAP_FAILED else {
            close(fd)
            return nil
        }
        let watch = rampart_guard_watch(start, size)
        guard watch >= 0 else {
            munmap(start, size)
            close(fd)
            return nil
        }
        let file = MappedFile(bytes: UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: size),
                              descriptor: fd, watch: watch, state: State(info))
        // Compressed content is inflated from a read (`FileLoader.read`), like any small file.
        if FileLoader.isCompressed(file.bytes.prefix(4)) { return nil }
        file.populate(workers: workers)
        return file
    }

    /// Whether `info` is of a regular file of `minimumBytes` to `maxBytes`.
    private static func worthMapping(_ info: stat, maxBytes: Int) -> Bool {
        info.st_mode & S_IFMT == S_IFREG && Int(info.st_size) >= minimumBytes && Int(info.st_size) <= maxBytes
    }

    /// Whether the file was cut short under the mapping (a read met its end) or written since it was mapped (its
    /// size or times changed): what was read from it then is not the file's content.
    var changed: Bool {
        if rampart_guard_hit(watch) != 0 { return true }
        var info = stat()
        return fstat(descriptor, &info) != 0 || State(info) != state
    }

    deinit {
        rampart_guard_unwatch(watch)
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        close(descriptor)
    }

    /// Maps the file's cached pages into the mapping at once, a slice a task (`FileLoader.readSlice`), in pieces of
    /// `FileLoader.populatePiece` so that no call holds the address-space lock for long, as the readers of a file do.
    private func populate(workers: Int) {
        guard let base = bytes.baseAddress else { return }
        let start = UnsafeMutableRawPointer(mutating: base)
        MemoryPages.populateForReading(from: start, to: start + bytes.count, workers: workers,
                                       sliceBytes: FileLoader.readSlice, pieceBytes: FileLoader.populatePiece)
    }
    #else
    static func map(_ path: String, maxBytes: Int, workers: Int) -> MappedFile? { nil }

    var changed: Bool { false }
    #endif
}
