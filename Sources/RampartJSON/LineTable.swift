/// Where the lines of an input start, kept once the input itself is released (a compacted document,
/// `JSONCompaction`), so `JSONDocument.location(ofByteOffset:)` still answers.
///
/// The newlines' positions are stored as the distances between consecutive ones, in LEB128 (one byte for a line
/// shorter than 128 bytes, so about one byte per line of indented JSON), with a checkpoint every
/// `checkpointInterval` newlines or less (where a stretch parsed apart was joined on, two may be closer): a lookup
/// binary-searches the checkpoints and decodes at most that many distances.
struct LineTable: Sendable {
    static let checkpointInterval = 128

    /// Distances between consecutive newlines (the first from position -1), LEB128.
    let distances: LineDistances
    /// Position of each checkpoint's newline.
    let checkpointPositions: [Int]
    /// Where the distance of the newline after each checkpoint's starts in `distances`.
    let checkpointOffsets: [Int]
    /// The number (0-based) of each checkpoint's newline.
    let checkpointNewlines: [Int]
    /// Number of newlines.
    let newlineCount: Int
    /// Position of the last newline (-1 when there is none).
    let lastNewline: Int
    /// Size of the input.
    let inputByteCount: Int

    /// Bytes held.
    var storedByteCount: Int {
        distances.count + (checkpointPositions.count + checkpointOffsets.count + checkpointNewlines.count) * MemoryLayout<Int>.stride
    }

    /// 1-based line and byte column of `offset` (clamped to the input), as `JSONError.location(in:ofByteOffset:)`
    /// gives them from the input's bytes.
    func location(ofByteOffset offset: Int) -> (line: Int, column: Int) {
        let end = Swift.max(0, Swift.min(offset, inputByteCount))
        // The last checkpoint before `end`.
        var low = 0, high = checkpointPositions.count
        while low < high {
            let mid = (low + high) / 2
            if checkpointPositions[mid] < end { low = mid + 1 } else { high = mid }
        }
        var counted = 0, last = -1, at = 0
        if low > 0 {
            counted = checkpointNewlines[low - 1] + 1
            last = checkpointPositions[low - 1]
            at = checkpointOffsets[low - 1]
        }
        distances.withUnsafeBufferPointer { d in
            while counted < newlineCount {
                var k = at
                let distance = Self.distance(d, at: &k)
                if last + distance >= end { break }
                last += distance
                at = k
                counted += 1
            }
        }
        return (counted + 1, end - last)
    }

    /// The distance encoded at `k` in `d`; `k` moves past it.
    @inline(__always)
    static func distance(_ d: UnsafeBufferPointer<UInt8>, at k: inout Int) -> Int {
        var distance = 0, shift = 0
        while true {
            let byte = d[k]
            distance |= Int(byte & 0x7F) << shift
            k &+= 1
            if byte < 0x80 { return distance }
            shift &+= 7
        }
    }
}

/// Records the positions of an input's newlines as the parser skips them, in `LineTable`'s form.
struct NewlineRecorder: ~Copyable {
    private var distances: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var count = 0
    private var last = -1
    private var checkpointPositions: [Int] = []
    private var checkpointOffsets: [Int] = []
    private var checkpointNewlines: [Int] = []

    /// `expectedBytes`: a first guess at the distances' size (it grows as needed).
    init(expectedBytes: Int) {
        capacity = Swift.max(64, expectedBytes)
        distances = .allocate(capacity: capacity)
    }

    deinit { distances.deallocate() }

    /// Records a newline at `position` (positions come in increasing order).
    @inline(__always)
    mutating func record(_ position: Int) {
        if used &+ 10 > capacity { grow() }
        var distance = UInt(bitPattern: position &- last)
        last = position
        while distance >= 0x80 {
            distances[used] = UInt8(truncatingIfNeeded: distance) | 0x80
            used &+= 1
            distance &>>= 7
        }
        distances[used] = UInt8(truncatingIfNeeded: distance)
        used &+= 1
        if count & (LineTable.checkpointInterval &- 1) == 0 {
            checkpointPositions.append(position)
            checkpointOffsets.append(used)
            checkpointNewlines.append(count)
        }
        count &+= 1
    }

    /// Records every newline of `table` (all past the ones recorded so far), in order: the first is recorded as
    /// one, the distances after it are copied as they are, and the table's checkpoints are kept, counted on.
    mutating func record(contentsOf table: LineTable) {
        guard table.newlineCount > 0 else { return }
        var k = 0
        let first = table.distances.withUnsafeBufferPointer { LineTable.distance($0, at: &k) } &- 1
        record(first)
        let rest = table.distances.count &- k
        while used &+ rest &+ 10 > capacity { grow() }
        table.distances.withUnsafeBufferPointer { d in (distances + used).update(from: d.baseAddress! + k, count: rest) }
        let base = used &- k
        for c in table.checkpointNewlines.indices where table.checkpointNewlines[c] > 0 {
            checkpointPositions.append(table.checkpointPositions[c])
            checkpointOffsets.append(table.checkpointOffsets[c] &+ base)
            checkpointNewlines.append(table.checkpointNewlines[c] &+ count &- 1)
        }
        used &+= rest
        count &+= table.newlineCount &- 1
        last = table.lastNewline
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = capacity * 2
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: distances, count: used)
        distances.deallocate()
        distances = grown
        capacity = newCapacity
    }

    /// The table of what was recorded, for an input of `inputByteCount` bytes. The table takes the recorded bytes
    /// over (copying them into an array cost ~12 ms on one thread for the 8 MB of a 200 MB indented input, with the
    /// other core idle); the recorder keeps an empty buffer of its own and is not to record more.
    mutating func table(inputByteCount: Int) -> LineTable {
        let taken = LineDistances(taking: distances, count: used)
        capacity = 64
        distances = .allocate(capacity: capacity)
        used = 0
        return LineTable(distances: taken,
                         checkpointPositions: checkpointPositions, checkpointOffsets: checkpointOffsets,
                         checkpointNewlines: checkpointNewlines, newlineCount: count, lastNewline: last,
                         inputByteCount: inputByteCount)
    }
}

/// A line table's distance bytes, in the buffer the recorder wrote them to.
/// `@unchecked Sendable`: the bytes are never written after `init`, and freed only by `deinit`.
final class LineDistances: @unchecked Sendable, Equatable {
    private let base: UnsafeMutablePointer<UInt8>
    let count: Int

    /// Takes ownership of `base`, which holds at least `count` initialised bytes.
    init(taking base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    static func == (lhs: LineDistances, rhs: LineDistances) -> Bool {
        lhs.withUnsafeBufferPointer { l in rhs.withUnsafeBufferPointer { r in l.elementsEqual(r) } }
    }
}
