#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Advice to the system about the whole pages of a large buffer (Linux only; elsewhere the calls do nothing):
/// pages handed back before the buffer is freed, where its start has been read for the last time, and pages
/// mapped in one call before a read fills them.
public enum MemoryPages {
    /// Gives back the whole pages in `from..<to`, which nothing reads again (they read as zeros if touched), and
    /// returns where the next call on the same buffer should start: the end of the last page given back, or `from`
    /// when no page lay wholly inside.
    @discardableResult
    static func release(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        #if canImport(Glibc)
        guard let (start, end) = wholePages(from: from, to: to) else { return from }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end &- start, MADV_DONTNEED)
        return UnsafeMutableRawPointer(bitPattern: end)!
        #else
        return from
        #endif
    }

    /// Gives back the whole pages in `from..<to` like `release(from:to:)`, in slices given back at once on up to
    /// `workers` threads when the range is large (giving back 100 MB of pages takes the system ~8 ms on one). The
    /// slices meet at 64 KiB boundaries, which are page boundaries for every page size, so every whole page goes.
    static func release(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, workers: Int,
                        minimum: Int = releasedBytesPerTask) {
        inSlices(from: from, to: to, workers: workers, minimum: minimum) { start, end in release(from: start, to: end) }
    }

    /// Calls `body` with slices of `from..<to` at once on up to `workers` threads, as many as `Parallel.taskCount`
    /// gives for the range's bytes (on this thread, with the whole range, when that is one). The slices meet at
    /// 64 KiB boundaries, so no whole page is cut in two.
    private static func inSlices(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, workers: Int,
                                 minimum: Int, perWorker: Int = 4,
                                 _ body: @escaping @Sendable (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void) {
        let byteCount = from.distance(to: to)
        let slices = Parallel.taskCount(items: Swift.max(0, byteCount), workers: workers, minimum: minimum,
                                        perWorker: perWorker)
        guard slices > 1 else {
            body(from, to)
            return
        }
        let (start, end) = (Int(bitPattern: from), Int(bitPattern: to))
        let boundaries = [start] + (1..<slices).map { k in sliceBoundary(start &+ byteCount / slices &* k) } + [end]
        _ = Parallel.map(slices, workers: workers) { k in
            guard boundaries[k] < boundaries[k &+ 1] else { return }
            body(UnsafeMutableRawPointer(bitPattern: boundaries[k])!, UnsafeMutableRawPointer(bitPattern: boundaries[k &+ 1])!)
        }
    }

    /// Gives back every page of a mapping of `count` bytes at `start`, on up to `workers` threads like
    /// `release(from:to:workers:)`: the last page too, whose tail past `count` belongs to the mapping alone (a mapping
    /// ends at a page boundary).
    static func releaseMapping(at start: UnsafeMutableRawPointer, count: Int, workers: Int) {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, count > 0 else { return }
        release(from: start, to: start + ((count &+ page &- 1) & ~(page &- 1)), workers: workers)
        #endif
    }

    /// Gives back the whole pages in `from..<to` like `release(from:to:)`, on this thread, in one call per piece of
    /// about `pieceBytes` (at least 64 KiB): a process exiting meanwhile waits for the call under way, not for the
    /// whole range. The pieces meet at 64 KiB boundaries, so every whole page goes.
    static func release(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, pieceBytes: Int) {
        inPieces(from: from, to: to, pieceBytes: pieceBytes) { start, end in release(from: start, to: end) }
    }

    /// Calls `body` with consecutive pieces of `from..<to` of about `pieceBytes` (at least 64 KiB), meeting at 64 KiB
    /// boundaries.
    private static func inPieces(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, pieceBytes: Int,
                                 _ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void) {
        var start = Int(bitPattern: from)
        let end = Int(bitPattern: to)
        while start < end {
            let next = Swift.min(end, sliceBoundary(start &+ Swift.max(pieceBytes, 1 << 16)))
            body(UnsafeMutableRawPointer(bitPattern: start)!, UnsafeMutableRawPointer(bitPattern: next)!)
            start = next
        }
    }

    /// Where two slices of a range given back in parts meet, at or before `address`: a 64 KiB boundary, which is a
    /// page boundary for every page size, so no whole page is cut in two and skipped.
    private static func sliceBoundary(_ address: Int) -> Int { address & ~0xFFFF }

    /// Fewest bytes worth a thread of their own in `release(from:to:workers:)` (16 MiB).
    static let releasedBytesPerTask = 16 << 20

    /// Maps the whole pages in `from..<to` writable in one system call, before something (a `pread`) writes them:
    /// without it, each 4 KiB page of fresh memory costs a page fault during the copy (docs/performance.md, round
    /// eleven). Linux 5.14 or later; an older kernel refuses the advice and the pages are faulted in as before, so
    /// the result is ignored.
    public static func populate(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) {
        advise(from: from, to: to, 23)  // MADV_POPULATE_WRITE; older C headers do not name it
    }

    /// Maps the whole pages in `from..<to` of a mapping of a file, reading its cached pages into it, in slices at
    /// once on up to `workers` threads (about `sliceBytes` each, up to 64 a worker), each in calls of about
    /// `pieceBytes`: a call holds the process's address-space lock for as long as it runs. Without it each 64 KiB of
    /// the mapping costs a fault when first read. Linux 5.14 or later, like `populate`.
    public static func populateForReading(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, workers: Int,
                                          sliceBytes: Int, pieceBytes: Int) {
        inSlices(from: from, to: to, workers: workers, minimum: sliceBytes, perWorker: 64) { start, end in
            inPieces(from: start, to: end, pieceBytes: pieceBytes) { advise(from: $0, to: $1, 22) }  // MADV_POPULATE_READ
        }
    }

    /// `madvise(advice)` over the whole pages in `from..<to`; the result is ignored (see `populate`).
    private static func advise(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, _ advice: Int32) {
        #if canImport(Glibc)
        guard let (start, end) = wholePages(from: from, to: to) else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end &- start, advice)
        #endif
    }

    /// Has the C library's allocator grow its heaps 32 MiB past what an allocation needs, instead of a page or so at
    /// a time (glibc; elsewhere nothing). Each growth is an `mprotect` or `brk` call that holds the process's
    /// address-space lock for writing, and the threads reading a large input into fresh pages (`populate`, page
    /// faults) wait behind it: the compliant 100k scan made ~3,950 `mprotect` and ~250 `brk` calls, then 40 and 6
    /// (`strace -f -c`; docs/performance.md, round seventeen). The room is reserved, not touched, so it takes no
    /// memory until used. For executables to call once, first thing: it changes the whole process's allocator.
    public static func growHeapsInLargeSteps() {
        #if canImport(Glibc)
        _ = mallopt(M_TOP_PAD, 32 << 20)
        #endif
    }

    #if canImport(Glibc)
    /// The addresses of the first and past the last page lying wholly inside `from..<to`; nil when none does.
    private static func wholePages(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) -> (Int, Int)? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return nil }
        let start = (Int(bitPattern: from) &+ page &- 1) & ~(page &- 1)
        let end = Int(bitPattern: to) & ~(page &- 1)
        return end > start ? (start, end) : nil
    }
    #endif
}

extension JSONDocument {
    /// Gives the system back the whole pages of the document's bytes and tape (Linux only; elsewhere nothing), a
    /// piece of `discardedBytesPerCall` at a time. The document, and every handle on its storage, reads zeros
    /// afterwards: only for a document that is never read again and never freed (`StackFreeing.atExit`).
    public func discardStorage() {
        discardStorage(piece: Self.discardedBytesPerCall)
    }

    /// `discardStorage()` in pieces of `piece` bytes (at least 64 KiB).
    func discardStorage(piece: Int) {
        bytes.withUnsafeBufferPointer { discard($0, piece: piece) }
        tape.withUnsafeBufferPointer { discard($0, piece: piece) }
    }

    /// 8 MiB, ~1 ms of the system's time: what an exit during `discardStorage` may have to wait for.
    static let discardedBytesPerCall = 8 << 20

    private func discard<Element>(_ buffer: UnsafeBufferPointer<Element>, piece: Int) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        let start = UnsafeMutableRawPointer(mutating: UnsafeRawPointer(base))
        MemoryPages.release(from: start, to: start + buffer.count * MemoryLayout<Element>.stride, pieceBytes: piece)
    }
}
