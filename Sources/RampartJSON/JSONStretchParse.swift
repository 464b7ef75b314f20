import Foundation

/// A stretch of one array's elements, parsed on a thread of its own while the document's parse reads what comes
/// before it, then spliced into the document's tape when that parse reaches the stretch's first byte.
///
/// Where a stretch starts is a guess (`JSONStretches.starts`), made without parsing; it is checked, never trusted:
/// the document's parse splices a stretch only when it is itself at an array element that starts exactly there, in
/// which state parsing the following elements gives what the stretch gave. A guess that was wrong (inside a string,
/// or not where the document's parse stops) costs that thread's work, never the result: the document's parse reads
/// those bytes itself. A stretch that met an error is dropped too, so every error is found and located by the
/// document's own parse.
///
/// A stretch is parsed by whichever comes first: a thread that takes it up (`start(_:)`), or the document's parse
/// reaching it (`finish()`), which then parses those bytes itself. So the document's parse never waits for work no
/// thread has begun, even when every thread is busy waiting for a parse of its own.
final class JSONStretchParse: @unchecked Sendable {
    // `@unchecked Sendable`: `state` is read and written under `lock`; the results are written by the one thread
    // that took the stretch up, before it signals `done`, and read only after `finish()` has seen that signal.

    /// Offset of the stretch's first element.
    let start: Int
    /// Offset at which the stretch stops, at the first of its array's elements starting there or later (the next
    /// stretch's start), or `Int.max` to run to the array's end.
    let stopAt: Int
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var state = State.waiting

    private enum State {
        case waiting
        case taken
        case given
        /// Taken, and its parse waited for.
        case finished
    }

    /// Whether the stretch parsed without an error, up to a stop.
    private(set) var succeeded = false
    /// The stretch's tape entries, with container `next` indexes counted from its own first entry.
    private(set) var tape: UnsafeMutablePointer<UInt64>?
    private(set) var tapeCount = 0
    /// Elements begun in the stretch's array (the first counted), as the parser's frame counts them.
    private(set) var elementCount = 0
    /// Where the stretch stopped: at an element's first byte (`endedAtClose` false) or at the array's `]`.
    private(set) var end = 0
    private(set) var endedAtClose = false
    /// See `JSONParser`: what a compact copy of the stretch's values takes, the deepest level (its array counted as
    /// level 1), the newlines (when recorded), and cut points with tape indexes and content bytes counted from the
    /// stretch's start.
    private(set) var contentBytes = 0
    private(set) var deepest = 0
    private(set) var newlines: LineTable?
    private(set) var cuts: [Int] = []
    /// See `JSONParser.markedObjects`; indexes counted from the stretch's first entry.
    private(set) var markedObjects: [Int] = []

    init(start: Int, stopAt: Int) {
        self.start = start
        self.stopAt = stopAt
    }

    deinit { tape?.deallocate() }

    /// Parses the stretch from `input` on the calling thread, unless the document's parse has given it up.
    func start(_ input: JSONParser.Input) {
        let taken = lock.withLock {
            guard state == .waiting else { return false }
            state = .taken
            return true
        }
        guard taken else { return }
        parse(input)
        done.signal()
    }

    /// Waits for the stretch when a thread has taken it up, and gives it up otherwise (`succeeded` stays false).
    /// Called by the document's parse only; a second call returns at once.
    func finish() {
        let taken = lock.withLock {
            if state == .waiting { state = .given }
            return state == .taken
        }
        guard taken else { return }
        done.wait()
        lock.withLock { state = .finished }
    }

    private func parse(_ input: JSONParser.Input) {
        let n = input.count
        let capacity = JSONParser.initialTapeCapacity(forInputBytes: Swift.min(n, stopAt) - start)
        let first = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        var parser = JSONParser(input.base, count: n, maxDepth: input.maxDepth,
                                tape: UnsafeMutableBufferPointer(start: first, count: capacity),
                                marked: input.marked, recordsLines: input.recordsLines, cutInterval: input.cutInterval,
                                stretchAt: start)
        parser.stopAt = stopAt
        let stop: JSONParser.Stop
        do throws(JSONError) {
            stop = try parser.run(from: .value)
        } catch {
            first.deallocate()
            return
        }
        if parser.ownsTape {
            // The parser grew past the first buffer (which stays the caller's); its own buffer is taken over.
            first.deallocate()
            tape = parser.tape
            parser.ownsTape = false
        } else {
            tape = first
        }
        tapeCount = parser.tapeCount
        elementCount = parser.stack[0].count
        end = parser.i
        endedAtClose = stop == .atBaseClose
        contentBytes = parser.contentBytes
        deepest = parser.deepest
        if input.recordsLines { newlines = parser.newlines.table(inputByteCount: n) }
        cuts = parser.cuts
        markedObjects = parser.markedObjects
        succeeded = true
    }
}

/// Where stretches of a large document may start.
enum JSONStretches {
    /// Inputs smaller than this are parsed on one thread.
    static let minimumInputBytes = 4 << 20
    /// How far past each even share of the input a start is looked for.
    static let window = 256 << 10

    /// Up to `parts - 1` increasing offsets, one near each even share of `input` past the first: each the `{` of an
    /// object that follows another object in an array (`}`, `,`, `{` apart only by whitespace). Among those in the
    /// window, the one nearest the start of its line, so that in indented JSON it is an element of the outermost
    /// such array (a state's resources, not a list nested inside one resource). Empty for a small input.
    static func starts(_ input: UnsafeBufferPointer<UInt8>, parts: Int, minimumInputBytes: Int = minimumInputBytes) -> [Int] {
        let n = input.count
        guard parts > 1, n >= Swift.max(minimumInputBytes, 2), let base = input.baseAddress else { return [] }
        var starts: [Int] = []
        for part in 1..<parts {
            var q = Swift.max(n / parts * part, (starts.last ?? 0) + 1)
            let limit = Swift.min(n, q + window)
            var best: (start: Int, column: Int)?
            while q < limit, let found = memchr(base + q, 0x7B, limit - q) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                q = at + 1
                guard let column = column(input, ofObjectAfterObject: at) else { continue }
                if best == nil || column < best!.column { best = (at, column) }
                if column == 0 { break }
            }
            if let best { starts.append(best.start) }
        }
        return starts
    }

    /// The column of the `{` at `at` (bytes since its line began; `Int.max` when it does not begin its line) when
    /// `}`, `,` and it are apart only by whitespace; nil otherwise.
    private static func column(_ input: UnsafeBufferPointer<UInt8>, ofObjectAfterObject at: Int) -> Int? {
        var j = at - 1
        var column: Int?
        func skipWhitespace() {
            while j >= 0 {
                let c = input[j]
                if c == 0x0A, column == nil { column = at - j - 1 }
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                j -= 1
            }
        }
        skipWhitespace()
        guard j > 0, input[j] == 0x2C else { return nil }
        j -= 1
        skipWhitespace()
        guard j >= 0, input[j] == 0x7D else { return nil }
        return column ?? Int.max
    }
}
