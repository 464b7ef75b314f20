import RampartJSON

/// Where a reporter's bytes go: collected in memory, or handed chunk by chunk to a sink (the CLI's sink writes
/// each chunk to the report's temporary file).
///
/// Streaming reporters (JSON, SARIF, JUnit) build their output in a writer and hand it over whenever it passes
/// `chunkSize`, so a report of hundreds of megabytes never sits in memory whole. A sink that fails is remembered:
/// later chunks are dropped and `failed` stays true, so the caller checks once at the end (reporters themselves
/// cannot fail).
public final class ReportOutput {
    /// 1 MiB: few enough writes that their cost vanishes, small enough that the buffer does not matter in memory.
    public static let defaultChunkSize = 1 << 20

    /// Buffered bytes past which a streaming reporter hands its writer's output over.
    public let chunkSize: Int
    /// Threads that may render a long array's elements at once (`writeElements`).
    public let workers: Int
    /// Elements one thread renders at a time in `writeElements`; a round of `workers` batches is in memory at once.
    var elementsPerBatch = 2048
    private let sink: ((UnsafeRawBufferPointer) -> Bool)?
    /// A collecting output's chunks, joined once by `takeBytes()` (appending each to one growing array would copy
    /// the report again at every doubling and hold up to twice its size).
    private var collected: [[UInt8]] = []
    /// Whether the sink refused a chunk; everything after it was dropped.
    public private(set) var failed = false

    /// An output that collects every byte in memory (read them with `takeBytes()`).
    public init(chunkSize: Int = ReportOutput.defaultChunkSize, workers: Int = 1) {
        self.chunkSize = Swift.max(1, chunkSize)
        self.workers = Swift.max(1, workers)
        self.sink = nil
    }

    /// An output that hands each chunk to `sink` as it comes; `sink` returns false when it could not take it
    /// (the output then drops the rest and reports `failed`).
    public init(chunkSize: Int = ReportOutput.defaultChunkSize, workers: Int = 1,
                sink: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.chunkSize = Swift.max(1, chunkSize)
        self.workers = Swift.max(1, workers)
        self.sink = sink
    }

    /// Everything a collecting output holds, emptying it. Always empty for an output with a sink.
    public func takeBytes() -> [UInt8] {
        defer { collected = [] }
        // One chunk (most reports) is handed over as it is, without a copy.
        if collected.count == 1 { return collected[0] }
        var joined: [UInt8] = []
        joined.reserveCapacity(collected.reduce(0) { $0 + $1.count })
        for i in collected.indices {
            joined.append(contentsOf: collected[i])
            collected[i] = []  // freed as soon as it is copied: the output is held about once, not twice
        }
        return joined
    }

    /// Appends bytes (passed on at once when the output has a sink).
    public func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !failed else { return }
        guard let sink else {
            collected.append(bytes)
            return
        }
        if !bytes.withUnsafeBytes(sink) { failed = true }
    }

    /// Renders with a collecting output and returns the bytes: `render` of a streaming reporter.
    static func collect(_ body: (ReportOutput) -> Void) -> [UInt8] {
        let output = ReportOutput()
        body(output)
        return output.takeBytes()
    }

    // MARK: - Writers

    /// Hands the writer's bytes over once they pass the chunk size; call after each record (finding, result, case).
    func flush(_ writer: inout JSONWriter) {
        if writer.byteCount >= chunkSize { append(writer.takeBytes()) }
    }

    /// Writes each of `elements` with `write` as the next elements of the writer's innermost open array, handing
    /// bytes over as `flush` does. With more than one worker and more than a batch of elements, the elements are
    /// rendered a batch per thread at once, each batch by a continuation of the writer
    /// (`JSONWriter.continuation(after:)`), and the batches handed over in order: the bytes are the same as one
    /// thread's. `write` must depend on nothing but its element (it runs on any thread, in any order).
    ///
    /// `ahead`, if given, is called with each element's index before it is written, for a hint about elements
    /// further on (`Finding.prefetchAhead`): elements read in an order other than the one they were made in are each
    /// a cache miss otherwise.
    func writeElements<Elements: RandomAccessCollection & Sendable>(
        _ elements: Elements, to writer: inout JSONWriter, ahead: (@Sendable (Int) -> Void)? = nil,
        _ write: @escaping @Sendable (Elements.Element, inout JSONWriter) -> Void
    ) where Elements.Index == Int {
        writeElements(elements, to: &writer, ahead: ahead, memo: {}) { element, w, _ in write(element, &w) }
    }

    /// `writeElements(_:to:ahead:_:)` with a memo for `write`: made by `memo` for each batch (and once with one
    /// worker) and passed to `write` for every element of it, in order, on the batch's thread. For what consecutive
    /// elements share and is worth working out once (a report's findings come a policy at a time).
    func writeElements<Elements: RandomAccessCollection & Sendable, Memo>(
        _ elements: Elements, to writer: inout JSONWriter, ahead: (@Sendable (Int) -> Void)? = nil,
        memo: @escaping @Sendable () -> Memo,
        _ write: @escaping @Sendable (Elements.Element, inout JSONWriter, inout Memo) -> Void
    ) where Elements.Index == Int {
        inBatches(elements.count, &writer, memo: memo, { i, w, memo in
            ahead?(elements.startIndex &+ i)
            write(elements[elements.startIndex &+ i], &w, &memo)
        },
                  continuation: { $0.continuation(after: $1, capacity: $2) }, resume: { $0.resume(after: $1) },
                  take: { $0.takeBytes() }, final: { $0.finalBytes() }, flush: { self.flush(&$0) })
    }

    /// Writes each of `elements` with `write` as the next children of the writer's innermost open element, handing
    /// bytes over as `flush` does; with several workers, a batch per thread, as the JSON `writeElements` does
    /// (continuations of the writer, `XMLWriter.continuation()`, joined in order: the same bytes as one thread's).
    func writeElements<Elements: RandomAccessCollection & Sendable>(
        _ elements: Elements, to writer: inout XMLWriter,
        _ write: @escaping @Sendable (Elements.Element, inout XMLWriter) -> Void
    ) where Elements.Index == Int {
        inBatches(elements.count, &writer, memo: {}, { i, w, _ in write(elements[elements.startIndex &+ i], &w) },
                  continuation: { writer, _, capacity in writer.continuation(capacity: capacity) }, resume: { $0.resume(after: $1) },
                  take: { $0.takeBytes() }, final: { $0.finalBytes() }, flush: { self.flush(&$0) })
    }

    /// What both `writeElements` do: elements `0..<count` written one by one (flushing after each) with one worker
    /// or few elements; else in rounds of `minimumBatchesPerRound` batches (one per worker when there are more),
    /// each batch written by `continuation(writer, n, room)` (a writer with an empty buffer of `room` bytes allocated
    /// ahead, placed after `n` more elements), and handed over in order; `memo` is made for each batch (once with
    /// one worker) and passed to its writes. Each batch's buffer is allocated ahead at the size the largest batch of
    /// the round before reached, with an eighth more (a chunk's size in the first round): growing to it by doubling
    /// copied the whole batch again (a sixth of the JSON report's instructions on two workers).
    ///
    /// A round's bytes are handed over while the next round renders, by one more task beside its batches: handed
    /// over between rounds, a report written to a file kept one core copying it out while the others waited (44–120
    /// ms of the 176 MB JSON report at dense 100k, by the file system). The last round's bytes are handed over at the
    /// end. One task hands bytes over at a time, in order, since each round ends before the next begins.
    private func inBatches<Writer: Sendable, Memo>(
        _ count: Int, _ writer: inout Writer, memo: @escaping @Sendable () -> Memo,
        _ write: @escaping @Sendable (Int, inout Writer, inout Memo) -> Void,
        continuation: @escaping @Sendable (Writer, Int, Int) -> Writer, resume: (inout Writer, Writer) -> Void,
        take: (inout Writer) -> [UInt8], final: @escaping @Sendable (consuming Writer) -> [UInt8],
        flush: (inout Writer) -> Void
    ) {
        let batch = elementsPerBatch
        guard workers > 1, count > batch else {
            var state = memo()
            for i in 0..<count {
                write(i, &writer, &state)
                flush(&writer)
            }
            return
        }
        // The first round's batches get a chunk's room: allocated, not written, so a smaller batch costs no pages.
        var start = 0, room = chunkSize
        var previous = RoundBytes(output: self, chunks: [])
        while start < count {
            let roundEnd = Swift.min(count, start &+ batch &* Swift.max(workers, Self.minimumBatchesPerRound))
            let batches = (roundEnd &- start &+ batch &- 1) / batch
            // Made here, with an empty buffer, so no thread shares (and copies on writing) the writer's own.
            let origin = continuation(writer, 0, 0), first = start, partRoom = room, handOver = previous
            // Each batch hands back its bytes and, apart, the place it ended: its bytes are taken where no other
            // copy of the writer holds them, so without a copy. Task 0 hands over the round before's bytes.
            let rendered = Parallel.map(batches &+ 1, workers: workers) { task -> (end: Writer, bytes: [UInt8])? in
                guard task > 0 else {
                    handOver.handOver()
                    return nil
                }
                let k = task &- 1
                var part = continuation(origin, k &* batch, partRoom), state = memo()
                for i in (first &+ k &* batch)..<Swift.min(roundEnd, first &+ (k &+ 1) &* batch) { write(i, &part, &state) }
                let end = continuation(part, 0, 0)
                return (end, final(consume part))
            }
            if let last = rendered.last, let last { resume(&writer, last.end) }
            let largest = rendered.reduce(0) { Swift.max($0, $1?.bytes.count ?? 0) }
            room = largest &+ largest / 8
            previous = RoundBytes(output: self, chunks: [take(&writer)] + rendered.compactMap { $0?.bytes })
            start = roundEnd
        }
        previous.handOver()
    }

    /// Fewest batches a round renders (`inBatches`): four per worker on two, so that the task handing over the round
    /// before's bytes shares the cores with them rather than holding the round up. Not more per worker on more
    /// cores: two rounds' bytes are in memory at once.
    static let minimumBatchesPerRound = 8

    /// A round's bytes, handed over by a task of the next round (`inBatches`).
    /// `@unchecked Sendable`: the output is used by one task at a time. The round that hands these over runs after
    /// the one that made them has ended and before the next begins, and no other task of it touches the output.
    private struct RoundBytes: @unchecked Sendable {
        let output: ReportOutput
        let chunks: [[UInt8]]

        func handOver() {
            for chunk in chunks { output.append(chunk) }
        }
    }

    /// Hands over whatever the writer still holds and the final newline; call once at the end.
    func finish(_ writer: inout JSONWriter) {
        var bytes = writer.takeBytes()
        bytes.append(0x0A)
        append(bytes)
    }

    /// Hands the writer's bytes over once they pass the chunk size; call after each test case.
    func flush(_ writer: inout XMLWriter) {
        if writer.byteCount >= chunkSize { append(writer.takeBytes()) }
    }

    /// Hands over whatever the writer still holds; call once at the end.
    func finish(_ writer: inout XMLWriter) {
        append(writer.takeBytes())
    }
}
