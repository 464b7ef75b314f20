/// When a parsed document keeps a compact copy of its values instead of its input.
///
/// The tape reads only the contents of strings and the bytes of numbers; everything else in the input (the
/// indentation and newlines of exported state, half of it, and the punctuation) is needed only to tell where a value
/// was. A document that compacts copies those bytes back to back, points the tape into the copy, and releases the
/// input; `JSONInputPositions` keeps where each value was (about a byte per tape entry) and `LineTable` where each
/// line started (about a byte per line), so `JSONNode.byteOffset` and `JSONDocument.location(ofByteOffset:)` give
/// what they gave from the input. Values read the same either way.
///
/// A document compacts when its input is at least `minimumInputBytes` and what it keeps (the copy and the two
/// tables, counted while parsing) is at most `maximumKeptShare` of the input: large indented state compacts,
/// small and minified inputs stay as they are and pay no copy.
public struct JSONCompaction: Sendable, Hashable {
    /// Smaller inputs are kept as they are.
    public var minimumInputBytes: Int
    /// Largest share of the input the compact form may keep (0.75: it must save at least a quarter).
    public var maximumKeptShare: Double
    /// How many tape entries apart the parser notes where the copy may be cut (`JSONParser.cuts`).
    var cutInterval = 1 << 16

    public init(minimumInputBytes: Int, maximumKeptShare: Double) {
        self.minimumInputBytes = minimumInputBytes
        self.maximumKeptShare = maximumKeptShare
    }

    /// Inputs of 1 MiB or more whose compact form saves at least a quarter of them.
    public static let automatic = JSONCompaction(minimumInputBytes: 1 << 20, maximumKeptShare: 0.75)
    /// Never: the document keeps its input.
    public static let never = JSONCompaction(minimumInputBytes: Int.max, maximumKeptShare: 0)
    /// Always, whatever the size (for tests that compare a compacted document with its input's).
    public static let always = JSONCompaction(minimumInputBytes: 0, maximumKeptShare: .infinity)

    /// Whether the parser records what compaction needs (the lines) for an input of this size.
    func mayCompact(inputBytes: Int) -> Bool { inputBytes >= minimumInputBytes && maximumKeptShare > 0 }

    /// Whether an input of `inputBytes` whose compact form keeps `keptBytes` compacts.
    func compacts(inputBytes: Int, keptBytes: Int) -> Bool {
        mayCompact(inputBytes: inputBytes) && Double(keptBytes) <= maximumKeptShare * Double(inputBytes)
    }
}

/// Where a compacted document's values were in its input: for tape entry `i`, the input offset is the entry's offset
/// in the compact bytes plus the bytes left out before it. That count only grows along the tape; it is kept as
/// the growth at each entry (a byte; `wide` for the rare growth of 255 or more) and as a total every
/// `checkpointInterval` entries, so an offset costs at most that many additions.
struct JSONInputPositions: Sendable {
    static let checkpointShift = 6
    static let checkpointInterval = 1 << checkpointShift

    /// Growth of the left-out count at each tape entry; `wide` means "see `wideIndexes`".
    let growth: [UInt8]
    /// The left-out count at entry `k * checkpointInterval`, for every k.
    let checkpoints: [Int]
    /// The entries whose growth is `wide` or more, in tape order, and their growth.
    let wideIndexes: [Int]
    let wideGrowth: [Int]
    /// Where the input's lines started.
    let lines: LineTable

    static let wide: UInt8 = 255

    /// Bytes held.
    var storedByteCount: Int {
        growth.count + (checkpoints.count + wideIndexes.count + wideGrowth.count) * MemoryLayout<Int>.stride
            + lines.storedByteCount
    }

    /// The input offset of tape entry `index`, whose word is `entry`.
    func inputOffset(ofEntry index: Int, _ entry: UInt64) -> Int {
        let k = index &>> Self.checkpointShift
        var leftOut = checkpoints[k]
        growth.withUnsafeBufferPointer { g in
            var j = (k &<< Self.checkpointShift) &+ 1
            while j <= index {
                let step = g[j]
                leftOut &+= step == Self.wide ? wideGrowth(at: j) : Int(step)
                j &+= 1
            }
        }
        return Tape.offset(entry) &+ leftOut
    }

    private func wideGrowth(at index: Int) -> Int {
        var low = 0, high = wideIndexes.count
        while low < high {
            let mid = (low + high) / 2
            if wideIndexes[mid] < index { low = mid + 1 } else { high = mid }
        }
        return wideGrowth[low]
    }
}

/// Copies the bytes a tape reads to the front of its input and points the tape at them (see `JSONCompaction`).
enum JSONCompactor {
    /// Compacts `bytes`, the input `tape` was parsed from, in place, rewrites `tape` to point into the result and
    /// returns where the values were. Afterwards `bytes` holds exactly `contentBytes` bytes: a leading comma, then in
    /// document order the contents of each string without its quotes (its entry's offset is the byte before them,
    /// where the opening quote was; the length is in the entry), with the closing quote after a long one
    /// (`Tape.longLength`: its end is found by a rescan), and each number followed by a comma so that its extent
    /// still ends. The memory past them is given back to the system (on Linux; elsewhere it stays with the array).
    ///
    /// In place, because every value's compact form is no longer than its input form (quotes dropped, a number's
    /// comma in place of the byte after it), so within one stretch of tape the write position never passes the read
    /// position. Each part (see `parts`) compacts within its own stretch of the input, from where its first value's
    /// contents already are, all at once; then the parts move down to their places in order, each place ending
    /// before the next part's stretch begins. No second buffer of the compact size is touched, so the input and the
    /// copy are never in memory together.
    static func compact(_ tape: inout [UInt64], bytes: inout [UInt8], contentBytes: Int, lines: LineTable,
                        cuts: [Int] = [], workers: Int = 1) -> JSONInputPositions {
        // A bare number at the input's first byte compacts to more bytes than it had (`5` to `,5,`): room for them.
        if bytes.count < contentBytes { bytes.append(contentsOf: repeatElement(0, count: contentBytes &- bytes.count)) }
        let entries = tape.count
        let checkpointCount = (entries &+ JSONInputPositions.checkpointInterval &- 1) &>> JSONInputPositions.checkpointShift
        let parts = Self.parts(cuts: cuts, entries: entries, contentBytes: contentBytes, workers: workers)
        // Written in place (a copy would leave its source as freed heap the process keeps): every growth byte is
        // written before it is read.
        var growthTable = [UInt8](unsafeUninitializedCapacity: entries) { _, count in count = entries }
        var checkpointTable = [Int](repeating: 0, count: checkpointCount)
        var wideIndexes: [Int] = []
        var wideGrowth: [Int] = []
        tape.withUnsafeMutableBufferPointer { t in
          growthTable.withUnsafeMutableBufferPointer { g in
            checkpointTable.withUnsafeMutableBufferPointer { c in
              bytes.withUnsafeMutableBufferPointer { buffer in
                // How far past its place each part's stretch starts: part k's first value is a string (the parser
                // cuts at strings), whose contents are compacted where they are and moved down afterwards.
                let shifts = parts.map { part -> Int in
                    guard part.firstEntry > 0 else { return 0 }
                    let shift = Tape.offset(t[part.firstEntry]) &+ 1 &- part.firstByte
                    precondition(shift >= 0, "a compact part would start after its input")
                    return shift
                }
                let region = Region(tape: t.baseAddress!, growth: g.baseAddress!, checkpoints: c.baseAddress!,
                                    bytes: buffer)
                let results = Parallel.map(parts.count, workers: parts.count) { k in
                    compactPart(parts[k], shift: shifts[k], region)
                }
                let base = UnsafeMutableRawPointer(buffer.baseAddress!)
                for (k, part) in parts.enumerated() where shifts[k] > 0 {
                    moveDown(to: base + part.firstByte, from: base + (part.firstByte &+ shifts[k]),
                             byteCount: part.endByte &- part.firstByte, workers: workers)
                }
                // Last: the first part reads a number at the input's first byte.
                buffer[0] = 0x2C
                // Each part knew only its own growth at its first entry; the step from the part before is set here.
                for (k, result) in results.enumerated() {
                    var wide = result.wide
                    if k > 0 {
                        let first = parts[k].firstEntry
                        let step = result.firstLeftOut &- results[k &- 1].lastLeftOut
                        if step < Int(JSONInputPositions.wide) {
                            g[first] = UInt8(truncatingIfNeeded: step)
                        } else {
                            g[first] = JSONInputPositions.wide
                            wide.insert((first, step), at: 0)
                        }
                    }
                    for (index, growth) in wide {
                        wideIndexes.append(index)
                        wideGrowth.append(growth)
                    }
                }
                if entries > 0 { g[0] = 0 }
                // The pages past the copy: nothing reads them, and the array is cut to the copy next.
                if let base = buffer.baseAddress {
                    MemoryPages.release(from: UnsafeMutableRawPointer(base + contentBytes),
                                        to: UnsafeMutableRawPointer(base + buffer.count), workers: workers)
                }
              }
            }
          }
        }
        bytes.removeLast(bytes.count &- contentBytes)
        return JSONInputPositions(growth: growthTable, checkpoints: checkpointTable, wideIndexes: wideIndexes,
                                  wideGrowth: wideGrowth, lines: lines)
    }

    /// Moves `byteCount` bytes from `source` down to `target`. When the two ranges do not overlap (a part's compact
    /// bytes were written at least their own length past their place), the copy is cut in slices copied at once on
    /// up to `workers` threads; otherwise it is one `memmove`.
    static func moveDown(to target: UnsafeMutableRawPointer, from source: UnsafeMutableRawPointer, byteCount: Int,
                         workers: Int, minimum: Int = movedBytesPerTask) {
        let slices = target + byteCount <= source
            ? Parallel.taskCount(items: byteCount, workers: workers, minimum: minimum) : 1
        guard slices > 1 else {
            target.copyMemory(from: source, byteCount: byteCount)
            return
        }
        let (to, from) = (Int(bitPattern: target), Int(bitPattern: source))
        _ = Parallel.map(slices, workers: workers) { k in
            let range = Parallel.slice(k, of: slices, items: byteCount)
            UnsafeMutableRawPointer(bitPattern: to &+ range.lowerBound)!
                .copyMemory(from: UnsafeRawPointer(bitPattern: from &+ range.lowerBound)!, byteCount: range.count)
        }
    }

    /// Fewest bytes worth a thread of their own in `moveDown` (4 MiB).
    static let movedBytesPerTask = 4 << 20

    /// A stretch of tape entries and where their compact bytes go.
    struct Part: Sendable {
        var firstEntry: Int
        var endEntry: Int
        /// The compact bytes before `firstEntry`'s (the leading comma included), and where the next part's begin.
        var firstByte: Int
        var endByte: Int

        struct Result: Sendable {
            var firstLeftOut: Int
            var lastLeftOut: Int
            /// Entries whose growth is `JSONInputPositions.wide` or more, in order, with it.
            var wide: [(Int, Int)]
        }
    }

    /// Up to `workers` parts of nearly equal size, cut where the parser noted a string's entry and the compact bytes
    /// before it (`JSONParser.cuts`); one part when there are no cuts.
    static func parts(cuts: [Int], entries: Int, contentBytes: Int, workers: Int) -> [Part] {
        var starts = [(entry: 0, byte: 1)]
        if workers > 1 {
            var c = 0
            for k in 1..<workers {
                let target = entries &* k / workers
                while c &+ 2 < cuts.count && cuts[c] < target { c &+= 2 }
                guard c &+ 1 < cuts.count, cuts[c] >= target, cuts[c] > starts.last!.entry, cuts[c] < entries else { continue }
                starts.append((cuts[c], cuts[c &+ 1]))
            }
        }
        return starts.enumerated().map { k, start in
            let end = k &+ 1 < starts.count ? starts[k &+ 1] : (entry: entries, byte: contentBytes)
            return Part(firstEntry: start.entry, endEntry: end.entry, firstByte: start.byte, endByte: end.byte)
        }
    }

    /// The pointers every part writes through, each into its own entries and bytes.
    /// `@unchecked Sendable`: parts write disjoint ranges of the tape and the growth table, checkpoints only at their
    /// own entries, and read and write only their own stretch of the bytes (a word written never crosses the part's
    /// end, nor a byte the part has still to read).
    struct Region: @unchecked Sendable {
        let tape: UnsafeMutablePointer<UInt64>
        let growth: UnsafeMutablePointer<UInt8>
        let checkpoints: UnsafeMutablePointer<Int>
        let bytes: UnsafeMutableBufferPointer<UInt8>
    }

    /// Compacts one part: moves its values `shift` bytes past their place (see `compact`), points its entries at
    /// their place and records where they were.
    static func compactPart(_ part: Part, shift: Int, _ region: Region) -> Part.Result {
        let t = region.tape, growth = region.growth, checkpoints = region.checkpoints
        let input = UnsafeBufferPointer(region.bytes)
        let buffer = region.bytes.baseAddress!
        let sourceCount = input.count
        // Where the part's bytes end in the buffer while it works.
        let end = part.endByte &+ shift
        var wide: [(Int, Int)] = []
        var w = part.firstByte
        var first: Int?
        var previous = 0
        var i = part.firstEntry
        while i < part.endEntry {
            let e = t[i]
            let o = Tape.offset(e)
            let tag = Tape.tag(e)
            // A string's entry points at the byte before its contents.
            let at = tag == Tape.tagString ? w &- 1 : w
            let leftOut = o &- at
            if first == nil { first = leftOut; previous = leftOut }
            let step = leftOut &- previous
            previous = leftOut
            if i & (JSONInputPositions.checkpointInterval &- 1) == 0 { checkpoints[i &>> JSONInputPositions.checkpointShift] = leftOut }
            // (At the first entry the count may be -1, a number at offset 0; its growth is never read.)
            if step < Int(JSONInputPositions.wide) {
                growth[i] = UInt8(truncatingIfNeeded: step)
            } else {
                growth[i] = JSONInputPositions.wide
                wide.append((i, step))
            }
            t[i] = (e & ~Tape.offsetMask) | UInt64(truncatingIfNeeded: at)
            if tag == Tape.tagString {
                let field = Int(truncatingIfNeeded: (e &>> Tape.lengthShift) & Tape.longLength)
                if field != Int(truncatingIfNeeded: Tape.longLength) {
                    move(buffer, from: o &+ 1, to: w &+ shift, count: field, end: end, sourceCount: sourceCount)
                    w &+= field
                } else {
                    let length = Tape.stringExtent(e, input).count
                    UnsafeMutableRawPointer(buffer + (w &+ shift)).copyMemory(from: buffer + (o &+ 1), byteCount: length)
                    w &+= length
                    buffer[w &+ shift] = 0x22
                    w &+= 1
                }
            } else if tag >= Tape.tagArray {
                // The second word holds no offset; the left-out count does not grow at it.
                i &+= 1
                growth[i] = 0
                if i & (JSONInputPositions.checkpointInterval &- 1) == 0 { checkpoints[i &>> JSONInputPositions.checkpointShift] = leftOut }
            } else if tag == Tape.tagNumber {
                let length = Tape.numberEnd(input, o) &- o
                UnsafeMutableRawPointer(buffer + (w &+ shift)).copyMemory(from: buffer + o, byteCount: length)
                w &+= length
                buffer[w &+ shift] = 0x2C
                w &+= 1
            }
            // null, false, true: read from the tag alone
            i &+= 1
        }
        precondition(w == part.endByte, "compaction copied up to byte \(w), expected \(part.endByte)")
        return Part.Result(firstLeftOut: first ?? 0, lastLeftOut: previous, wide: wide)
    }

    /// Moves `count` bytes of `buffer` from `from` down to `at` (`at <= from`), a word at a time when the words read
    /// stay in the buffer and the words written stay before `end` and before the bytes still to be read (most
    /// strings are short: a call to `memmove` each would cost more). A forward word copy is safe downwards: each
    /// word is read before anything is written over it. The bytes written past `count` are overwritten by the values
    /// that follow.
    @inline(__always)
    private static func move(_ buffer: UnsafeMutablePointer<UInt8>, from: Int, to at: Int, count: Int, end: Int,
                             sourceCount: Int) {
        if at == from { return }
        let rounded = (count &+ 7) & ~7
        guard count <= 64, at &+ rounded <= end, at &+ rounded <= from &+ count, from &+ rounded <= sourceCount else {
            UnsafeMutableRawPointer(buffer + at).copyMemory(from: buffer + from, byteCount: count)
            return
        }
        var k = 0
        while k < rounded {
            UnsafeMutableRawPointer(buffer + (at &+ k)).storeBytes(
                of: UnsafeRawPointer(buffer + (from &+ k)).loadUnaligned(as: UInt64.self), as: UInt64.self)
            k &+= 8
        }
    }
}
