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
        let positions = bytes.withUnsafeMutableBufferPointer { buffer in
            compact(&tape, from: UnsafeBufferPointer(buffer), into: buffer.baseAddress!, inPlace: true, releasesSource: false,
                    contentBytes: contentBytes, lines: lines, cuts: cuts, workers: workers)
        }
        // The bytes come from the tape's own parse and nothing else writes them: they hold what the tape says.
        guard let positions else { preconditionFailure("an input compacted in place no longer held its tape's values") }
        // The pages past the copy: nothing reads them, and the array is cut to the copy next.
        bytes.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress {
                MemoryPages.release(from: UnsafeMutableRawPointer(base + contentBytes),
                                    to: UnsafeMutableRawPointer(base + buffer.count), workers: workers)
            }
        }
        bytes.removeLast(bytes.count &- contentBytes)
        return positions
    }

    /// Compacts `input`, the bytes `tape` was parsed from, into a new array of `contentBytes` bytes laid out as
    /// `compact(_:bytes:…)` lays them, and rewrites `tape` to point into it; `input` is only read. For an input that
    /// others may write while it is read (a mapped file): every length read again from `input` (a long string's,
    /// a number's) is checked against the room its tape left for it, so an input that changed since its parse gives
    /// nil, never a write outside the array; the tape is then unusable. With `releasingInput` (a private mapping of
    /// a file, whose pages read the file again when touched), the input's pages are given back behind the copy, so
    /// the input and the copy are not in memory together.
    static func compacted(_ tape: inout [UInt64], input: UnsafeBufferPointer<UInt8>, contentBytes: Int,
                          lines: LineTable, cuts: [Int] = [], workers: Int = 1,
                          releasingInput: Bool = false) -> (bytes: [UInt8], positions: JSONInputPositions)? {
        var positions: JSONInputPositions?
        let bytes = [UInt8](unsafeUninitializedCapacity: contentBytes) { buffer, count in
            positions = compact(&tape, from: input, into: buffer.baseAddress!, inPlace: false, releasesSource: releasingInput,
                                contentBytes: contentBytes, lines: lines, cuts: cuts, workers: workers)
            count = positions == nil ? 0 : contentBytes
        }
        return positions.map { (bytes, $0) }
    }

    /// The compaction of `source` into `target` (the same memory when `inPlace`; at least `contentBytes` long
    /// either way), parts at once; nil when a part found `source` no longer holding what the tape says.
    private static func compact(_ tape: inout [UInt64], from source: UnsafeBufferPointer<UInt8>,
                                into target: UnsafeMutablePointer<UInt8>, inPlace: Bool, releasesSource: Bool,
                                contentBytes: Int,
                                lines: LineTable, cuts: [Int], workers: Int) -> JSONInputPositions? {
        let entries = tape.count
        let checkpointCount = (entries &+ JSONInputPositions.checkpointInterval &- 1) &>> JSONInputPositions.checkpointShift
        let parts = Self.parts(cuts: cuts, entries: entries, contentBytes: contentBytes, workers: workers)
        // Written in place (a copy would leave its source as freed heap the process keeps): every growth byte is
        // written before it is read.
        var growthTable = [UInt8](unsafeUninitializedCapacity: entries) { _, count in count = entries }
        var checkpointTable = [Int](repeating: 0, count: checkpointCount)
        var wideIndexes: [Int] = []
        var wideGrowth: [Int] = []
        var complete = true
        tape.withUnsafeMutableBufferPointer { t in
          growthTable.withUnsafeMutableBufferPointer { g in
            checkpointTable.withUnsafeMutableBufferPointer { c in
                // In place, how far past its place each part's stretch starts: part k's first value is a string (the
                // parser cuts at strings), whose contents are compacted where they are and moved down afterwards.
                // Into another buffer, every part writes at its place.
                let shifts = parts.map { part -> Int in
                    guard inPlace, part.firstEntry > 0 else { return 0 }
                    let shift = Tape.offset(t[part.firstEntry]) &+ 1 &- part.firstByte
                    precondition(shift >= 0, "a compact part would start after its input")
                    return shift
                }
                let region = Region(tape: t.baseAddress!, growth: g.baseAddress!, checkpoints: c.baseAddress!,
                                    source: source, target: target, inPlace: inPlace, releasesSource: releasesSource)
                let results = Parallel.map(parts.count, workers: parts.count) { k in
                    compactPart(parts[k], shift: shifts[k], region)
                }
                guard results.allSatisfy({ $0 != nil }) else {
                    complete = false
                    return
                }
                let base = UnsafeMutableRawPointer(target)
                for (k, part) in parts.enumerated() where shifts[k] > 0 {
                    moveDown(to: base + part.firstByte, from: base + (part.firstByte &+ shifts[k]),
                             byteCount: part.endByte &- part.firstByte, workers: workers)
                }
                // Last: the first part reads a number at the input's first byte.
                target[0] = 0x2C
                // Each part knew only its own growth at its first entry; the step from the part before is set here.
                for (k, result) in results.enumerated() {
                    var wide = result!.wide
                    if k > 0 {
                        let first = parts[k].firstEntry
                        let step = result!.firstLeftOut &- results[k &- 1]!.lastLeftOut
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
            }
          }
        }
        guard complete else { return nil }
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
    /// own entries, and write only their own stretch of the target (a word written never crosses the part's end,
    /// nor, in place, a byte the part has still to read).
    struct Region: @unchecked Sendable {
        let tape: UnsafeMutablePointer<UInt64>
        let growth: UnsafeMutablePointer<UInt8>
        let checkpoints: UnsafeMutablePointer<Int>
        /// The input the tape was parsed from, and where its compact bytes go: the same memory when `inPlace`.
        let source: UnsafeBufferPointer<UInt8>
        let target: UnsafeMutablePointer<UInt8>
        let inPlace: Bool
        /// Whether the source's pages are given back behind each part (a mapped file's, which read the file again).
        let releasesSource: Bool
    }

    /// How much of a fresh target a part maps at once, ahead of its writes (1 MiB): mapped in one call, its pages
    /// cost less than faulted in one at a time.
    static let targetWindow = 1 << 20

    /// How much of a mapped source a part passes before giving its pages back (8 MiB): each call makes every core
    /// running the process drop the pages from its address cache, so fewer, larger calls cost less.
    static let releasedSourceStep = 8 << 20

    /// Compacts one part: moves its values `shift` bytes past their place (see `compact`), points its entries at
    /// their place and records where they were. Nil when a length read again from the source (a long string's, a
    /// number's) does not fit where its tape puts the next value: the source changed since its parse.
    static func compactPart(_ part: Part, shift: Int, _ region: Region) -> Part.Result? {
        let t = region.tape, growth = region.growth, checkpoints = region.checkpoints
        let input = region.source
        let source = input.baseAddress!, buffer = region.target
        let sourceCount = input.count
        // Where the part's bytes end in the buffer while it works.
        let end = part.endByte &+ shift
        var wide: [(Int, Int)] = []
        var w = part.firstByte
        var first: Int?
        var previous = 0
        var i = part.firstEntry
        // Into a fresh target from a mapped file: a window of the target mapped ahead at a time, and the file's pages
        // behind given back (see `compacted`); in place, never.
        var nextWindow = region.inPlace ? Int.max : w
        var releasedSource = UnsafeMutableRawPointer(mutating: source + Tape.offset(t[part.firstEntry]))
        while i < part.endEntry {
            let e = t[i]
            let o = Tape.offset(e)
            let tag = Tape.tag(e)
            if w >= nextWindow {
                nextWindow = Swift.min(end, w &+ Self.targetWindow)
                MemoryPages.populate(from: UnsafeMutableRawPointer(buffer + w), to: UnsafeMutableRawPointer(buffer + nextWindow))
                if region.releasesSource, UnsafeRawPointer(releasedSource).distance(to: UnsafeRawPointer(source + o)) >= Self.releasedSourceStep {
                    releasedSource = MemoryPages.release(from: releasedSource, to: UnsafeMutableRawPointer(mutating: source + o))
                }
            }
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
                    // Within the part whatever the source holds: its lengths before this one may have changed.
                    guard w &+ field <= part.endByte else { return nil }
                    move(source, from: o &+ 1, to: buffer, at: w &+ shift, count: field, end: end,
                         sourceCount: sourceCount, inPlace: region.inPlace)
                    w &+= field
                } else {
                    // Closed by a quote inside the source (a rescan finds none only in a source changed since its parse).
                    let length = Tape.stringExtent(e, input).count
                    guard o &+ 1 &+ length < sourceCount, w &+ length &+ 1 <= part.endByte else { return nil }
                    UnsafeMutableRawPointer(buffer + (w &+ shift)).copyMemory(from: source + (o &+ 1), byteCount: length)
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
                guard w &+ length &+ 1 <= part.endByte else { return nil }
                UnsafeMutableRawPointer(buffer + (w &+ shift)).copyMemory(from: source + o, byteCount: length)
                w &+= length
                buffer[w &+ shift] = 0x2C
                w &+= 1
            }
            // null, false, true: read from the tag alone
            i &+= 1
        }
        guard w == part.endByte else { return nil }
        return Part.Result(firstLeftOut: first ?? 0, lastLeftOut: previous, wide: wide)
    }

    /// Moves `count` bytes of `source` from `from` to `at` in `target` (in place, `target` is `source` and
    /// `at <= from`), a word at a time when the words read stay in the source and the words written stay before `end`
    /// and, in place, before the bytes still to be read (most strings are short: a call to `memmove` each would cost
    /// more). A forward word copy is safe downwards: each word is read before anything is written over it. The bytes
    /// written past `count` are overwritten by the values that follow.
    @inline(__always)
    private static func move(_ source: UnsafePointer<UInt8>, from: Int, to target: UnsafeMutablePointer<UInt8>,
                             at: Int, count: Int, end: Int, sourceCount: Int, inPlace: Bool) {
        if inPlace && at == from { return }
        let rounded = (count &+ 7) & ~7
        guard count <= 64, at &+ rounded <= end, !inPlace || at &+ rounded <= from &+ count,
              from &+ rounded <= sourceCount else {
            UnsafeMutableRawPointer(target + at).copyMemory(from: source + from, byteCount: count)
            return
        }
        var k = 0
        while k < rounded {
            UnsafeMutableRawPointer(target + (at &+ k)).storeBytes(
                of: UnsafeRawPointer(source + (from &+ k)).loadUnaligned(as: UInt64.self), as: UInt64.self)
            k &+= 8
        }
    }
}
