import Foundation

/// The validating, non-recursive parser. Produces the tape described in `Tape`.
struct JSONParser: ~Copyable {
    struct Frame {
        /// Tape index of the container's first word.
        var start: Int
        /// Elements/members begun so far.
        var count: Int
        /// Tape index of the current member key (objects), or -1.
        var key: Int
        var isObject: Bool
    }

    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    var tape: UnsafeMutablePointer<UInt64>
    var tapeCount = 0
    var tapeCapacity: Int
    /// Entries below this index are written without a check: the tape's pages up to it are mapped (a window ahead,
    /// `tapeWindow`), and it never passes the capacity.
    var writableTo = 0
    /// Whether `tape` is the parser's own allocation (after growing past the buffer it was given).
    var ownsTape = false
    var stack: UnsafeMutablePointer<Frame>
    var stackCapacity: Int
    var depth = 0
    let maxDepth: Int
    /// The marked key's bytes (`JSONMarkedKey`); empty when nothing is marked.
    let marked: UnsafeBufferPointer<UInt8>
    /// Bytes a compact copy of the values takes (`JSONCompactor`): the leading byte, the contents of strings (and the
    /// closing quote of long ones), numbers and a comma after each.
    var contentBytes = 1
    /// Whether `newlines` records the input's lines (only for an input that may be compacted).
    let recordsLines: Bool
    var newlines: NewlineRecorder
    /// Where a compaction may be cut into parts that run at once (`JSONCompactor`): pairs of a string's tape index and
    /// `contentBytes` before it, about every `cutInterval` entries (recorded with the lines only).
    var cuts: [Int] = []
    var nextCut: Int
    /// The tape indexes of the objects marked as maybe holding the marked key, each once, in the order they were
    /// marked (an object is marked when its key is read, so after the objects nested in earlier members).
    var markedObjects: [Int] = []
    let cutInterval: Int
    /// The depth of the level that ends a run: 0 for a whole document; 1 for a stretch of array elements parsed on
    /// its own (`JSONStretchParse`), whose array is opened by someone else.
    let baseDepth: Int
    /// `run` returns `.atStopPosition` at the first array element starting at or past this offset (at the base level
    /// for a stretch; at any level for a document, which then checks where it is). `Int.max`: never.
    var stopAt = Int.max
    /// The deepest level reached (a stretch's depth is checked against the document's limit when it is spliced in).
    var deepest = 0
    /// Stretches spliced in (`runSplicing`).
    var splicedStretches = 0
    /// See `JSONDocument.spliceStarts`.
    var spliceStarts: [Int] = []
    /// Stretches of at least this many tape entries are copied in two halves at once (`splice`).
    var spliceHalvingEntries = JSONParser.spliceHalvingEntries

    init(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, tape: UnsafeMutableBufferPointer<UInt64>,
         marked: UnsafeBufferPointer<UInt8>, recordsLines: Bool, cutInterval: Int = JSONCompaction.automatic.cutInterval,
         stretchAt start: Int? = nil) {
        self.p = p
        self.n = n
        self.maxDepth = maxDepth
        self.marked = marked
        self.tape = tape.baseAddress!
        tapeCapacity = tape.count
        stackCapacity = 64
        stack = .allocate(capacity: stackCapacity)
        self.recordsLines = recordsLines
        self.cutInterval = Swift.max(1, cutInterval)
        nextCut = self.cutInterval
        // Indented JSON has a line every few dozen bytes (state exports ~25), each a byte in the table. The guess
        // leaves room for a line every 16 bytes, so the table does not grow (a copy of it on one thread) for the
        // usual indentation; the room past what is written is never touched, so it takes no memory.
        newlines = NewlineRecorder(expectedBytes: recordsLines ? (n &- (start ?? 0)) / 16 : 0)
        if let start {
            // A stretch of elements of an array someone else opened: a frame of its own stands for that array (it
            // never closes here, and owns no tape entries), and its first element begins at `start`.
            i = start
            baseDepth = 1
            stack[0] = Frame(start: -1, count: 1, key: -1, isObject: false)
            depth = 1
            deepest = 1
            contentBytes = 0
        } else {
            baseDepth = 0
        }
    }

    deinit {
        if ownsTape { tape.deallocate() }
        stack.deallocate()
    }

    /// The tape's first capacity, in entries. Indented Pulumi state averages well over 16 bytes per value, so the
    /// tape is written in place into the array the document keeps; the capacity it does not use is never touched,
    /// so it costs address space, not memory. Past it, the tape grows geometrically (and is copied once at the end).
    static func initialTapeCapacity(forInputBytes count: Int) -> Int { Swift.max(64, count / 16) }

    /// What a parse gives: the tape, and what compacting the document would need.
    struct Result {
        var tape: [UInt64]
        /// See `JSONParser.contentBytes`.
        var contentBytes: Int
        /// The input's lines, when they were recorded.
        var lines: LineTable?
        /// See `JSONParser.cuts`.
        var cuts: [Int] = []
        /// See `JSONParser.markedObjects`; here in tape order (document order).
        var markedObjects: [Int] = []
        /// Stretches parsed on other threads and spliced in.
        var splicedStretches = 0
        /// See `JSONDocument.spliceStarts`.
        var spliceStarts: [Int] = []
    }

    /// What a stretch's thread reads: the whole input and the document's settings.
    struct Input: @unchecked Sendable {
        // `@unchecked Sendable`: the pointers are read only, and every stretch has finished before the buffers they
        // point into are released (`parse` waits for all of them).
        let base: UnsafePointer<UInt8>
        let count: Int
        let maxDepth: Int
        let marked: UnsafeBufferPointer<UInt8>
        let recordsLines: Bool
        let cutInterval: Int
    }

    /// Parses `buffer` into a tape, marking the objects that may hold the key `marked` (none when it is empty), and
    /// recording the input's lines when `recordingLines`. With `workers` above 1, a large input's later stretches are
    /// parsed on other threads at the same time (`JSONStretchParse`); the tape is the same.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits, marking marked: [UInt8] = [],
                      recordingLines: Bool = false, cutInterval: Int = JSONCompaction.automatic.cutInterval,
                      workers: Int = 1, minimumStretchInput: Int = JSONStretches.minimumInputBytes,
                      spliceHalvingEntries: Int = JSONParser.spliceHalvingEntries,
                      stretchesFirst: Bool = false) throws(JSONError) -> Result {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw JSONError(reason: .empty, line: 1, column: 1, path: "$", byteOffset: 0)
        }
        var failure: JSONError?
        var grown: [UInt64]?
        var contentBytes = 0
        var lines: LineTable?
        var cuts: [Int] = []
        var markedObjects: [Int] = []
        var spliced = 0
        var spliceStarts: [Int] = []
        let tape = [UInt64](unsafeUninitializedCapacity: initialTapeCapacity(forInputBytes: buffer.count)) { out, count in
            count = marked.withUnsafeBufferPointer { marked in
                let maxDepth = Swift.max(0, limits.maxDepth)
                var parser = JSONParser(base, count: buffer.count, maxDepth: maxDepth, tape: out,
                                        marked: marked, recordsLines: recordingLines, cutInterval: cutInterval)
                parser.spliceHalvingEntries = spliceHalvingEntries
                let starts = JSONStretches.starts(buffer, parts: workers, minimumInputBytes: minimumStretchInput)
                let stretches = starts.indices.map { k in
                    JSONStretchParse(start: starts[k], stopAt: k + 1 < starts.count ? starts[k + 1] : Int.max)
                }
                let input = Input(base: base, count: buffer.count, maxDepth: maxDepth, marked: marked,
                                  recordsLines: recordingLines, cutInterval: cutInterval)
                for stretch in stretches {
                    // `stretchesFirst` (for tests): each stretch parsed here before the document's parse begins, so
                    // which are spliced does not depend on when threads take them up.
                    if stretchesFirst { stretch.start(input) } else { DispatchQueue.global().async { stretch.start(input) } }
                }
                // Every stretch is finished or given up before the input's buffer can go, whatever this parse does.
                defer { for stretch in stretches { stretch.finish() } }
                do throws(JSONError) {
                    try parser.runSplicing(stretches)
                } catch {
                    failure = error
                    return 0
                }
                contentBytes = parser.contentBytes
                spliced = parser.splicedStretches
                spliceStarts = parser.spliceStarts
                markedObjects = parser.markedObjects.sorted()
                if recordingLines {
                    lines = parser.newlines.table(inputByteCount: buffer.count)
                    cuts = parser.cuts
                }
                if parser.ownsTape {
                    grown = Array(UnsafeBufferPointer(start: parser.tape, count: parser.tapeCount))
                    return 0
                }
                return parser.tapeCount
            }
        }
        if let failure { throw failure }
        return Result(tape: grown ?? tape, contentBytes: contentBytes, lines: lines, cuts: cuts,
                      markedObjects: markedObjects, splicedStretches: spliced, spliceStarts: spliceStarts)
    }

    /// Runs the document's parse, splicing in each stretch whose first element it reaches as an element of an
    /// array; a stretch it does not reach that way, or one that failed or was given up (`JSONStretchParse.finish`),
    /// is left out and its bytes are parsed here.
    mutating func runSplicing(_ stretches: [JSONStretchParse]) throws(JSONError) {
        var k = 0
        var entry = Entry.document
        stopAt = stretches.first?.start ?? Int.max
        while try run(from: entry) != .end {
            // At an array element starting at `i`, at or past `stopAt`.
            entry = .value
            while k < stretches.count, entry == .value, stretches[k].start <= i {
                let stretch = stretches[k]
                k += 1
                guard stretch.start == i else { continue }  // passed over: its bytes were read here
                stretch.finish()
                guard splice(stretch) else { break }
                entry = stretch.endedAtClose ? .afterValue : .value
            }
            stopAt = k < stretches.count ? stretches[k].start : Int.max
        }
    }

    /// Tape entries of a stretch copied before the pages they filled are given back (128 KiB).
    static let spliceBlock = 1 << 14

    /// Stretches of fewer tape entries than this are copied on one thread (2 MiB of tape).
    static let spliceHalvingEntries = 1 << 18

    /// The cut point (`cuts`) nearest the middle of a stretch's tape of at least `halvingFrom` entries, where its
    /// copy is split in two; 0 when the stretch is smaller or recorded no cut point inside it.
    static func spliceMiddle(_ stretch: JSONStretchParse, halvingFrom: Int) -> Int {
        guard stretch.tapeCount >= halvingFrom else { return 0 }
        let half = stretch.tapeCount / 2
        var best = 0
        for c in Swift.stride(from: 0, to: stretch.cuts.count, by: 2) {
            let at = stretch.cuts[c]
            if at > 0, at < stretch.tapeCount, abs(at &- half) < abs(best &- half) { best = at }
        }
        return best
    }

    /// Copies a stretch's tape entries to where they land in the document's tape, moving container `next` indexes by
    /// `shift`, a block at a time, each block's pages of the stretch's buffer given back once copied, so the
    /// stretch's entries are never in memory twice. Ranges must start at an entry's first word.
    struct SpliceCopy: @unchecked Sendable {
        // `@unchecked Sendable`: the two halves copied at once read and write disjoint ranges of the two tapes, and
        // only whole pages inside a half's own range are given back.
        let source: UnsafeMutablePointer<UInt64>
        let target: UnsafeMutablePointer<UInt64>
        let shift: UInt64

        func run(_ range: Range<Int>) {
            var j = range.lowerBound
            var released = UnsafeMutableRawPointer(source + j)
            while j < range.upperBound {
                let blockEnd = Swift.min(range.upperBound, j &+ JSONParser.spliceBlock)
                // The block's target pages are fresh: mapped in one call rather than faulted in one at a time by the
                // copy (the faults were about a third of the splice), a block at a time so that, with the source's
                // pages given back behind it, the stretch's entries are still never in memory twice.
                MemoryPages.populate(from: UnsafeMutableRawPointer(target + j), to: UnsafeMutableRawPointer(target + blockEnd))
                while j < blockEnd {
                    let e = source[j]
                    target[j] = e
                    if e &>> Tape.tagShift >= Tape.tagArray {
                        target[j &+ 1] = source[j &+ 1] &+ shift
                        j &+= 2
                    } else {
                        j &+= 1
                    }
                }
                released = MemoryPages.release(from: released, to: UnsafeMutableRawPointer(source + j))
            }
        }
    }

    /// Appends a stretch parsed from `i` on: its tape entries (container indexes moved to where they land), newlines,
    /// cut points and content bytes, and its elements to the open array's count. False, changing nothing, when it
    /// failed or would break the depth or tape limits.
    private mutating func splice(_ stretch: JSONStretchParse) -> Bool {
        guard stretch.succeeded, let source = stretch.tape, depth &- 1 &+ stretch.deepest <= maxDepth,
              tapeCount &+ stretch.tapeCount <= Tape.maxTapeEntries else { return false }
        while tapeCapacity &- tapeCount < stretch.tapeCount { growTape() }
        let copy = SpliceCopy(source: source, target: tape + tapeCount,
                              shift: UInt64(truncatingIfNeeded: tapeCount) &<< 32)
        // Two halves copied at once where the stretch is large (the thread that parsed it is free by now), split
        // at a cut point, which is an entry's first word.
        let middle = Self.spliceMiddle(stretch, halvingFrom: spliceHalvingEntries)
        if middle > 0 {
            _ = Parallel.map(2, workers: 2) { half in
                half == 0 ? copy.run(0..<middle) : copy.run(middle..<stretch.tapeCount)
            }
        } else {
            copy.run(0..<stretch.tapeCount)
        }
        if recordsLines {
            for c in Swift.stride(from: 0, to: stretch.cuts.count, by: 2) {
                cuts.append(stretch.cuts[c] &+ tapeCount)
                cuts.append(stretch.cuts[c &+ 1] &+ contentBytes)
            }
            if let lines = stretch.newlines { newlines.record(contentsOf: lines) }
        }
        // A stretch marks only objects it opened (its own level is an array, which has no keys).
        for object in stretch.markedObjects { markedObjects.append(object &+ tapeCount) }
        if stretch.elementCount > 0 { spliceStarts += [stack[depth &- 1].start, tapeCount] }
        tapeCount &+= stretch.tapeCount
        nextCut = tapeCount &+ cutInterval
        contentBytes &+= stretch.contentBytes
        stack[depth &- 1].count &+= stretch.elementCount &- 1
        i = stretch.end
        splicedStretches &+= 1
        return true
    }

    // MARK: - Constants

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    // MARK: - Tape and stack

    @inline(__always)
    private mutating func append(_ v: UInt64) {
        if tapeCount >= writableTo { makeRoom() }
        tape[tapeCount] = v
        tapeCount &+= 1
    }

    /// Entries the parser maps ahead of its writes at once (512 KiB of tape): the tape's fresh pages cost less mapped
    /// in one call than faulted in one at a time as entries land on them.
    static let tapeWindow = 1 << 16

    /// Room for at least one more entry: the tape grown when full, and its next window mapped.
    @inline(never)
    private mutating func makeRoom() {
        if tapeCount >= tapeCapacity { growTape() }
        let end = Swift.min(tapeCapacity, tapeCount &+ Self.tapeWindow)
        MemoryPages.populate(from: UnsafeMutableRawPointer(tape + tapeCount), to: UnsafeMutableRawPointer(tape + end))
        writableTo = end
    }

    @inline(never)
    private mutating func growTape() {
        let newCapacity = tapeCapacity * 2
        let newTape = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newTape.update(from: tape, count: tapeCount)
        if ownsTape { tape.deallocate() }
        ownsTape = true
        tape = newTape
        tapeCapacity = newCapacity
        // The new buffer's pages past the copy are fresh.
        writableTo = tapeCount
    }

    @inline(__always)
    private mutating func push(isObject: Bool) throws(JSONError) {
        if depth >= maxDepth { throw fail(.tooDeep(limit: maxDepth), at: i, pending: true) }
        if depth == stackCapacity { growStack() }
        stack[depth] = Frame(start: tapeCount, count: 0, key: -1, isObject: isObject)
        depth &+= 1
        deepest = Swift.max(deepest, depth)
        append(((isObject ? Tape.tagObject : Tape.tagArray) &<< Tape.tagShift) | UInt64(truncatingIfNeeded: i))
        append(0)
    }

    @inline(never)
    private mutating func growStack() {
        let newCapacity = stackCapacity * 2
        let newStack = UnsafeMutablePointer<Frame>.allocate(capacity: newCapacity)
        newStack.moveInitialize(from: stack, count: depth)
        stack.deallocate()
        stack = newStack
        stackCapacity = newCapacity
    }

    @inline(__always)
    private mutating func closeTop() throws(JSONError) {
        let f = stack[depth &- 1]
        if tapeCount > Tape.maxTapeEntries {
            throw fail(.tooLarge(limit: Tape.maxTapeEntries), at: i, pending: false)
        }
        tape[f.start &+ 1] = (UInt64(truncatingIfNeeded: tapeCount) &<< 32) | UInt64(truncatingIfNeeded: f.count)
        depth &-= 1
    }

    // MARK: - Main loop

    /// Where `run` starts: at the beginning of the document, at a value (whitespace skipped), or just after one.
    enum Entry {
        case document
        case value
        case afterValue
    }

    /// Why `run` returned.
    enum Stop {
        /// The document ended.
        case end
        /// At an array element starting at or past `stopAt` (whitespace before it skipped).
        case atStopPosition
        /// At the `]` closing the base array of a stretch, not consumed.
        case atBaseClose
    }

    @discardableResult
    mutating func run(from entry: Entry = .document) throws(JSONError) -> Stop {
        if entry == .document {
            if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }  // UTF-8 byte order mark
            skipWhitespace()
            if i == n { throw fail(.empty, at: i, pending: false) }
        }
        var resumingAfterValue = entry == .afterValue

        valueLoop: while true {
            if resumingAfterValue {
                resumingAfterValue = false
            } else {
                // Expecting a value at `i`; whitespace has been skipped.
                guard i < n else { throw fail(.truncated(expected: "a value"), at: n, pending: true) }
                let c = p[i]
                switch c {
                case 0x22:  // "
                    try scanString(isKey: false)
                case 0x7B:  // {
                    try push(isObject: true)
                    i &+= 1
                    skipWhitespace()
                    guard i < n else { throw fail(.truncated(expected: "a string key or '}'"), at: n, pending: false) }
                    if p[i] == 0x7D {
                        i &+= 1
                        try closeTop()
                    } else {
                        stack[depth &- 1].count = 1
                        try scanKeyAndColon(expectedAtStart: "a string key or '}'")
                        continue valueLoop
                    }
                case 0x5B:  // [
                    try push(isObject: false)
                    i &+= 1
                    skipWhitespace()
                    guard i < n else { throw fail(.truncated(expected: "a value or ']'"), at: n, pending: false) }
                    if p[i] == 0x5D {
                        i &+= 1
                        try closeTop()
                    } else {
                        stack[depth &- 1].count = 1
                        continue valueLoop
                    }
                case 0x74:  // t
                    try scanLiteral(0x6575_7274, length: 4, text: "true", tag: Tape.tagTrue)
                case 0x66:  // f
                    try scanFalse()
                case 0x6E:  // n
                    try scanLiteral(0x6C6C_756E, length: 4, text: "null", tag: Tape.tagNull)
                case 0x2D, 0x30...0x39:
                    try scanNumber()
                default:
                    throw unexpected(at: i, expected: "a value", pending: true)
                }
            }

            // After a value.
            while true {
                skipWhitespace()
                if depth == baseDepth {
                    if depth == 0 {
                        if i != n { throw fail(.trailingContent, at: i, pending: false) }
                        return .end
                    }
                    if i < n && p[i] == 0x5D { return .atBaseClose }
                }
                let top = depth &- 1
                let isObject = stack[top].isObject
                guard i < n else {
                    throw fail(.truncated(expected: isObject ? "',' or '}'" : "',' or ']'"), at: n, pending: false)
                }
                let c = p[i]
                if c == 0x2C {  // ,
                    i &+= 1
                    stack[top].count &+= 1
                    skipWhitespace()
                    if isObject {
                        try scanKeyAndColon(expectedAtStart: "a string key")
                    } else if i >= stopAt && (baseDepth == 0 || depth == baseDepth) {
                        return .atStopPosition
                    }
                    continue valueLoop
                }
                if c == (isObject ? 0x7D : 0x5D) {
                    i &+= 1
                    try closeTop()
                    continue
                }
                throw unexpected(at: i, expected: isObject ? "',' or '}'" : "',' or ']'", pending: false)
            }
        }
    }

    // MARK: - Whitespace

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c > 0x20 { return }
            if c == 0x20 {
                // Runs of indentation: 8 spaces at a time.
                while i &+ 8 <= n {
                    let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                    let x = w ^ Self.spaces
                    if x != 0 {
                        i &+= x.trailingZeroBitCount &>> 3
                        break
                    }
                    i &+= 8
                }
                if i >= n || p[i] != 0x20 { continue }
                i &+= 1
            } else if c == 0x0A {
                if recordsLines { newlines.record(i) }
                i &+= 1
            } else if c == 0x0D || c == 0x09 {
                i &+= 1
            } else {
                return
            }
        }
    }

    // MARK: - Strings

    @inline(__always)
    private mutating func scanKeyAndColon(expectedAtStart: String) throws(JSONError) {
        guard i < n else { throw fail(.truncated(expected: expectedAtStart), at: n, pending: false) }
        guard p[i] == 0x22 else { throw unexpected(at: i, expected: expectedAtStart, pending: false) }
        let keyIndex = tapeCount
        try scanString(isKey: true)
        stack[depth &- 1].key = keyIndex
        if marked.count != 0 { markIfItMayBeTheMarkedKey(keyIndex) }
        if i < n && p[i] == 0x3A {
            i &+= 1
        } else {
            skipWhitespace()
            guard i < n else { throw fail(.truncated(expected: "':'"), at: n, pending: true) }
            guard p[i] == 0x3A else { throw unexpected(at: i, expected: "':'", pending: true) }
            i &+= 1
        }
        skipWhitespace()
    }

    /// Marks the open object when the key just read is the marked key, or is written with escapes and might decode
    /// to it (its raw length is within what escapes of the marked key's bytes could take).
    @inline(__always)
    private mutating func markIfItMayBeTheMarkedKey(_ keyIndex: Int) {
        let e = tape[keyIndex]
        let length = Tape.rawLengthAtLeast(e)
        let m = marked.count
        let may: Bool
        if e & Tape.escapeBit == 0 {
            may = length == m && UnsafeBufferPointer(start: p + (Tape.offset(e) &+ 1), count: m).elementsEqual(marked)
        } else {
            may = length > m && length <= 6 &* m
        }
        let object = stack[depth &- 1].start
        if may && tape[object] & Tape.markedKeyBit == 0 {
            tape[object] |= Tape.markedKeyBit
            markedObjects.append(object)
        }
    }

    /// Mask with the high bit set in (at least) the first byte of `w` that is `"`, `\`, < 0x20 or ≥ 0x80.
    /// Bytes above the first flagged one may be false positives; the lowest flag is exact.
    @inline(__always)
    private static func specialMask(_ w: UInt64) -> UInt64 {
        let q = w ^ (0x22 &* ones)
        let bs = w ^ (0x5C &* ones)
        let quote = (q &- ones) & ~q
        let backslash = (bs &- ones) & ~bs
        let control = (w &- (0x20 &* ones)) & ~w
        return (quote | backslash | control | w) & highs
    }

    /// Scans the string starting at `i` (which holds `"`), validates it and appends its tape entry.
    @inline(__always)
    private mutating func scanString(isKey: Bool) throws(JSONError) {
        let q = i
        var j = i &+ 1
        var escaped: UInt64 = 0
        while true {
            while j &+ 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                let m = Self.specialMask(w)
                if m != 0 {
                    j &+= m.trailingZeroBitCount &>> 3
                    break
                }
                j &+= 8
            }
            guard j < n else { throw fail(.truncated(expected: "'\"' to close the string"), at: n, pending: !isKey) }
            let c = p[j]
            if c == 0x22 { break }
            if c == 0x5C {
                escaped = Tape.escapeBit
                j = try scanEscape(at: j, isKey: isKey)
            } else if c < 0x20 {
                throw fail(.controlCharacterInString, at: j, pending: !isKey)
            } else if c >= 0x80 {
                guard let next = validateUTF8Sequence(at: j) else {
                    throw fail(.invalidUTF8, at: j, pending: !isKey)
                }
                j = next
            } else {
                j &+= 1
            }
        }
        let length = UInt64(truncatingIfNeeded: j &- q &- 1)
        i = j &+ 1
        if recordsLines && tapeCount >= nextCut {
            cuts.append(tapeCount)
            cuts.append(contentBytes)
            nextCut = tapeCount &+ cutInterval
        }
        contentBytes &+= j &- q &- 1
        if length >= Tape.longLength { contentBytes &+= 1 }  // a long string keeps its closing quote
        append(
            (Tape.tagString &<< Tape.tagShift) | escaped
                | (Swift.min(length, Tape.longLength) &<< Tape.lengthShift) | UInt64(truncatingIfNeeded: q))
    }

    @inline(__always)
    private func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c &- 0x30)
        case 0x41...0x46: return UInt32(c &- 0x41 &+ 10)
        case 0x61...0x66: return UInt32(c &- 0x61 &+ 10)
        default: return nil
        }
    }

    /// Reads the 4 hex digits of the `\u` escape whose backslash is at `j`.
    private func unicodeEscape(at j: Int, isKey: Bool) throws(JSONError) -> UInt32 {
        var unit: UInt32 = 0
        for k in (j &+ 2)..<(j &+ 6) {
            guard k < n else { throw fail(.truncated(expected: "4 hex digits"), at: n, pending: !isKey) }
            guard let digit = hexValue(p[k]) else { throw fail(.invalidEscape, at: j, pending: !isKey) }
            unit = unit << 4 | digit
        }
        return unit
    }

    /// Validates the escape sequence at `j` (a backslash); returns the index after it.
    private func scanEscape(at j: Int, isKey: Bool) throws(JSONError) -> Int {
        guard j &+ 1 < n else { throw fail(.truncated(expected: "an escape sequence"), at: n, pending: !isKey) }
        switch p[j &+ 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            return j &+ 2
        case 0x75:  // u
            let unit = try unicodeEscape(at: j, isKey: isKey)
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                let k = j &+ 6
                guard k < n else { throw fail(.truncated(expected: "a low surrogate escape"), at: n, pending: !isKey) }
                guard p[k] == 0x5C else { throw fail(.invalidEscape, at: j, pending: !isKey) }
                guard k &+ 1 < n else { throw fail(.truncated(expected: "a low surrogate escape"), at: n, pending: !isKey) }
                guard p[k &+ 1] == 0x75 else { throw fail(.invalidEscape, at: j, pending: !isKey) }
                let low = try unicodeEscape(at: k, isKey: isKey)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw fail(.invalidEscape, at: j, pending: !isKey) }
                return j &+ 12
            }
            if unit >= 0xDC00 && unit <= 0xDFFF { throw fail(.invalidEscape, at: j, pending: !isKey) }
            return j &+ 6
        default:
            throw fail(.invalidEscape, at: j, pending: !isKey)
        }
    }

    /// Validates one multi-byte UTF-8 sequence starting at `j` (p[j] ≥ 0x80); returns the index after it.
    @inline(__always)
    private func validateUTF8Sequence(at j: Int) -> Int? {
        UTF8Validation.sequenceEnd(p, n, j)
    }

    // MARK: - Literals

    @inline(__always)
    private func load32(_ j: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    private mutating func scanLiteral(_ word: UInt32, length: Int, text: StaticString, tag: UInt64) throws(JSONError) {
        if i &+ 4 <= n && load32(i) == word {
            append((tag &<< Tape.tagShift) | UInt64(truncatingIfNeeded: i))
            i &+= 4
            return
        }
        throw literalError(text)
    }

    @inline(__always)
    private mutating func scanFalse() throws(JSONError) {
        if i &+ 5 <= n && load32(i &+ 1) == 0x6573_6C61 {  // "alse"
            append((Tape.tagFalse &<< Tape.tagShift) | UInt64(truncatingIfNeeded: i))
            i &+= 5
            return
        }
        throw literalError("false")
    }

    @inline(never)
    private func literalError(_ text: StaticString) -> JSONError {
        let expected = "'\(text)'"
        let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        for k in 0..<bytes.count {
            let j = i + k
            if j >= n { return fail(.truncated(expected: expected), at: n, pending: true) }
            if p[j] != bytes[k] { return unexpected(at: j, expected: expected, pending: true) }
        }
        return unexpected(at: i, expected: expected, pending: true)
    }

    // MARK: - Numbers

    @inline(__always)
    private func isDigit(_ j: Int) -> Bool { j < n && p[j] &- 0x30 < 10 }

    @inline(__always)
    private mutating func scanNumber() throws(JSONError) {
        let start = i
        var j = i
        if p[j] == 0x2D { j &+= 1 }
        guard j < n else { throw fail(.truncated(expected: "a digit"), at: n, pending: true) }
        let intStart = j
        if p[j] == 0x30 {
            j &+= 1
            if isDigit(j) { throw unexpected(at: j, expected: "a number without leading zeros", pending: true) }
        } else if p[j] &- 0x31 < 9 {
            j &+= 1
            while isDigit(j) { j &+= 1 }
        } else {
            throw unexpected(at: j, expected: "a digit", pending: true)
        }
        let intDigits = j &- intStart
        var needsRangeCheck = intDigits > 308
        if j < n && p[j] == 0x2E {  // .
            j &+= 1
            guard j < n else { throw fail(.truncated(expected: "a digit after '.'"), at: n, pending: true) }
            guard isDigit(j) else { throw unexpected(at: j, expected: "a digit after '.'", pending: true) }
            while isDigit(j) { j &+= 1 }
        }
        if j < n && (p[j] | 0x20) == 0x65 {  // e or E
            j &+= 1
            if j < n && (p[j] == 0x2B || p[j] == 0x2D) { j &+= 1 }
            guard j < n else { throw fail(.truncated(expected: "a digit in the exponent"), at: n, pending: true) }
            guard isDigit(j) else { throw unexpected(at: j, expected: "a digit in the exponent", pending: true) }
            while isDigit(j) { j &+= 1 }
            needsRangeCheck = true
        }
        if needsRangeCheck {
            let text = String(decoding: UnsafeBufferPointer(start: p + start, count: j &- start), as: UTF8.self)
            if let value = Double(text), !value.isFinite {
                throw fail(.numberOutOfRange, at: start, pending: true)
            }
        }
        append((Tape.tagNumber &<< Tape.tagShift) | UInt64(truncatingIfNeeded: start))
        contentBytes &+= j &- start &+ 1
        i = j
    }

    // MARK: - Errors (cold)

    @inline(never)
    private func unexpected(at j: Int, expected: String, pending: Bool) -> JSONError {
        let c = p[j]
        if c >= 0x80 && UTF8Validation.sequenceEnd(p, n, j) == nil {
            return fail(.invalidUTF8, at: j, pending: pending)
        }
        return fail(.unexpected(found: JSONError.describeByte(c), expected: expected), at: j, pending: pending)
    }

    /// Builds an error at byte `offset`. `pending` means the parser was inside (or about to read) the value of
    /// the current member/element, so the path names it; otherwise the path names the innermost container.
    @inline(never)
    func fail(_ reason: JSONError.Reason, at offset: Int, pending: Bool) -> JSONError {
        // A stretch's error is never shown: the document's own parse reaches the same bytes and says where they are.
        if baseDepth != 0 { return JSONError(reason: reason, line: 0, column: 0, path: "", byteOffset: offset) }
        let buffer = UnsafeBufferPointer(start: p, count: n)
        let (line, column) = JSONError.location(in: buffer, ofByteOffset: offset)
        let tapeBuffer = UnsafeBufferPointer(start: tape, count: tapeCount)
        var path = "$"
        var level = 0
        while level < depth {
            if level == depth &- 1 && !pending { break }
            let f = stack[level]
            if f.isObject {
                if f.key >= 0 { JSONError.appendPathKey(tapeBuffer[f.key], bytes: buffer, to: &path) }
            } else {
                path += "[\(Swift.max(0, f.count &- 1))]"
            }
            level &+= 1
        }
        return JSONError(reason: reason, line: line, column: column, path: path, byteOffset: offset)
    }
}

/// Strict UTF-8 validation (Unicode Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    @inline(__always)
    static func isContinuation(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }

    /// Returns the index after the multi-byte sequence that starts at `j`, or nil if it is invalid or truncated.
    static func sequenceEnd(_ p: UnsafePointer<UInt8>, _ n: Int, _ j: Int) -> Int? {
        let b0 = p[j]
        if b0 < 0x80 { return j &+ 1 }
        if b0 < 0xC2 { return nil }
        if b0 < 0xE0 {
            guard j &+ 1 < n, isContinuation(p[j &+ 1]) else { return nil }
            return j &+ 2
        }
        if b0 < 0xF0 {
            guard j &+ 2 < n else { return nil }
            let b1 = p[j &+ 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low, b1 <= high, isContinuation(p[j &+ 2]) else { return nil }
            return j &+ 3
        }
        if b0 < 0xF5 {
            guard j &+ 3 < n else { return nil }
            let b1 = p[j &+ 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low, b1 <= high, isContinuation(p[j &+ 2]), isContinuation(p[j &+ 3]) else { return nil }
            return j &+ 4
        }
        return nil
    }
}
