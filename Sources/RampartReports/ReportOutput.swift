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
    private let sink: ((UnsafeRawBufferPointer) -> Bool)?
    /// A collecting output's chunks, joined once by `takeBytes()` (appending each to one growing array would copy
    /// the report again at every doubling and hold up to twice its size).
    private var collected: [[UInt8]] = []
    /// Whether the sink refused a chunk; everything after it was dropped.
    public private(set) var failed = false

    /// An output that collects every byte in memory (read them with `takeBytes()`).
    public init(chunkSize: Int = ReportOutput.defaultChunkSize) {
        self.chunkSize = Swift.max(1, chunkSize)
        self.sink = nil
    }

    /// An output that hands each chunk to `sink` as it comes; `sink` returns false when it could not take it
    /// (the output then drops the rest and reports `failed`).
    public init(chunkSize: Int = ReportOutput.defaultChunkSize, sink: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.chunkSize = Swift.max(1, chunkSize)
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
