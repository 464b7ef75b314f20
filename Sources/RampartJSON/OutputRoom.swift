/// Bytes being written, with room allocated ahead of them: the output is `storage[0..<count]`, and the rest of
/// `storage` is room already allocated (never read). A write checks the room once (`withRoom`) and then stores
/// through a pointer: no capacity or uniqueness check per byte, which was most of the cost of writing a report.
/// `JSONWriter` and the reports' `XMLWriter` both write into one.
public struct OutputRoom: Sendable {
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var length = 0

    public init() {}

    /// An empty output with room for `capacity` bytes allocated ahead (not written, so it costs no pages until
    /// used): for a writer whose output size is known roughly, which would otherwise grow to it by doubling, a copy
    /// of everything written so far at each step.
    public init(capacity: Int) {
        storage = capacity > 0 ? OutputRoom.room(capacity) : []
    }

    /// How many bytes are written (since creation or the last `takeBytes()`).
    @inlinable public var count: Int { length }

    /// The bytes written (a copy, unless the room is used up).
    public var bytes: [UInt8] { length == storage.count ? storage : Array(storage[..<length]) }

    /// Calls `body` with the bytes written.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[..<length])) }
    }

    /// Runs `body` with a pointer to room for at least `needed` bytes after the output; `body` writes there and
    /// returns how many bytes it wrote (at most `needed`).
    @inlinable @inline(__always)
    public mutating func withRoom(_ needed: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if storage.count &- length < needed { grow(needed) }
        let start = length
        let written = storage.withUnsafeMutableBufferPointer { body($0.baseAddress.unsafelyUnwrapped + start) }
        length = start &+ written
    }

    /// Appends `bytes`.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        withRoom(bytes.count) { p in
            p.update(from: base, count: bytes.count)
            return bytes.count
        }
    }

    /// Appends a literal's UTF-8 bytes, from its static storage.
    @inlinable @inline(__always)
    public mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 bytes in one copy.
    @inlinable @inline(__always)
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Drops the bytes written after the first `count`.
    public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= length, "truncate(to:) past the bytes written")
        length = count
    }

    /// Hands over the bytes written and empties the output. The next chunk will be about as large as this one (a
    /// streaming caller takes at a fixed size, once a record takes it past that size), so it gets that much room
    /// and a margin for the record that crosses the size, rather than growing (a copy) whenever it ends a little
    /// longer than this one; capped so a one-off take of a whole document does not leave a huge empty buffer
    /// behind. The room is allocated, not written, so it costs no pages until used.
    public mutating func takeBytes() -> [UInt8] {
        var taken = OutputRoom.room(length == 0 ? 0 : Swift.min(length, 1 << 22) &+ OutputRoom.chunkMargin)
        swap(&taken, &storage)
        taken.removeSubrange(length...)
        length = 0
        return taken
    }

    /// Every byte written, emptying the output and giving up its room (unlike `takeBytes()`, which keeps room for
    /// more). The buffer is swapped out before it is cut to length, so it has no other owner and the cut is made in
    /// place: cut where a writer being given up still held it, it was a copy of the whole buffer.
    public mutating func takeAllBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &storage)
        taken.removeSubrange(length...)
        length = 0
        return taken
    }

    /// Room for the record that takes a streamed chunk past its size: more than a finding, a SARIF result or a
    /// JUnit case usually needs.
    static let chunkMargin = 1 << 16

    /// `count` bytes of room, allocated but not written.
    static func room(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Makes room for `needed` more bytes (at least doubling, so appends stay amortised constant), copying only
    /// the bytes written.
    @usableFromInline @inline(never)
    mutating func grow(_ needed: Int) {
        var bigger = OutputRoom.room(Swift.max(storage.count &* 2, length &+ needed, 256))
        let length = self.length
        bigger.withUnsafeMutableBufferPointer { to in
            storage.withUnsafeBufferPointer { from in
                if let source = from.baseAddress, length > 0 { to.baseAddress!.update(from: source, count: length) }
            }
        }
        swap(&bigger, &storage)
    }
}
