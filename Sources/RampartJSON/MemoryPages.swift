#if canImport(Glibc)
import Glibc
#endif

/// Memory handed back to the system before its buffer is freed, where the buffer is large and its start has been
/// read for the last time (Linux only; elsewhere the pages go when the buffer is freed).
enum MemoryPages {
    /// Gives back the whole pages in `from..<to`, which nothing reads again (they read as zeros if touched), and
    /// returns where the next call on the same buffer should start: the end of the last page given back, or `from`
    /// when no page lay wholly inside.
    @discardableResult
    static func release(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return from }
        let start = (Int(bitPattern: from) &+ page &- 1) & ~(page &- 1)
        let end = Int(bitPattern: to) & ~(page &- 1)
        guard end > start else { return from }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end &- start, MADV_DONTNEED)
        return UnsafeMutableRawPointer(bitPattern: end)!
        #else
        return from
        #endif
    }
}
