#if canImport(Glibc)
import Glibc
#endif

/// Temporary memory for decoding a string value. A very large value (a 200 MB user-data blob with escapes) is
/// decoded into memory the kernel may back with 2 MiB pages: handing out and zeroing 4 KiB pages one fault at a time
/// cost a third of the secret walk over such a value. Smaller values use the usual temporary allocation.
enum ScratchBuffer {
    /// Below this, a value is decoded into an ordinary temporary allocation.
    static let largeThreshold = 8 << 20
    static let hugePageSize = 2 << 20

    static func with<R>(capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> R) rethrows -> R {
        #if canImport(Glibc)
        if capacity >= largeThreshold {
            // Over-allocated by one huge page so the start can be aligned to one: only aligned 2 MiB ranges can be
            // backed by huge pages.
            let size = (capacity + 2 * hugePageSize - 1) & ~(hugePageSize - 1)
            if let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED {
                defer { munmap(mapped, size) }
                let aligned = (Int(bitPattern: mapped) + hugePageSize - 1) & ~(hugePageSize - 1)
                let start = UnsafeMutableRawPointer(bitPattern: aligned)!
                // Advice only: without transparent huge pages the memory works the same, in small pages.
                _ = madvise(start, size - (aligned - Int(bitPattern: mapped)), MADV_HUGEPAGE)
                return try body(start.bindMemory(to: UInt8.self, capacity: capacity))
            }
        }
        #endif
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(capacity, 1)) { try body($0.baseAddress!) }
    }
}
