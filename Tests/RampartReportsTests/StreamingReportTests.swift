import Foundation
@testable import Rampart
import RampartPolicy
import Synchronization
@testable import RampartReports
import Testing

/// Reports written in chunks: the same bytes as the in-memory rendering, and files that are either complete or
/// not touched at all.
@Suite struct StreamingReportTests {
    static let streamed: [ReportFormat] = [.json, .junit, .sarif]
    static let chunkSize = 1_000

    static func reporter(_ format: ReportFormat) -> any Reporter {
        format.reporter(options: ReportOptions(hostname: "ci-runner"))
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A writer with a tiny chunk, so a modest report takes many writes.
    static func writer() -> ReportWriter {
        var writer = ReportWriter(options: ReportOptions(hostname: "ci-runner"))
        writer.chunkSize = chunkSize
        return writer
    }

    @Test(arguments: streamed)
    func reportWrittenToAFileInManyChunksEqualsItsRendering(_ format: ReportFormat) throws {
        let report = LargeReport.make(resources: 2_000)
        let expected = Self.reporter(format).render(report)
        #expect(expected.count > 20 * Self.chunkSize, "the report should span many chunks")
        let path = try Self.temporaryDirectory() + "/report"
        let stdout = try Self.writer().write(report, to: [ReportTarget(format: format, path: path)])
        #expect(stdout == nil)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == expected)
    }

    @Test(arguments: streamed)
    func reporterHandsOverChunksAsItGoes(_ format: ReportFormat) {
        let report = LargeReport.make(resources: 2_000)
        var chunks: [[UInt8]] = []
        let output = ReportOutput(chunkSize: Self.chunkSize) { chunk in
            chunks.append(Array(chunk))
            return true
        }
        Self.reporter(format).write(report, to: output)
        let expected = Self.reporter(format).render(report)
        #expect(chunks.count > 20)
        #expect(Array(chunks.joined()) == expected)
        #expect(output.takeBytes().isEmpty, "an output with a sink keeps nothing")
        // Each chunk is about the chunk size: the writer's buffer passed it by one record at most.
        #expect(chunks.dropLast().allSatisfy { $0.count >= Self.chunkSize && $0.count < 4 * Self.chunkSize })
    }

    @Test(arguments: streamed)
    func collectingWithATinyChunkGivesTheSameBytes(_ format: ReportFormat) throws {
        let report = SampleReport.make()
        var writer = Self.writer()
        writer.chunkSize = 1
        #expect(try writer.render(report, as: format) == Self.reporter(format).render(report))
    }

    @Test func stdoutReportIsReturnedWhole() throws {
        let report = LargeReport.make(resources: 2_000)
        let stdout = try Self.writer().write(report, to: [ReportTarget(format: .sarif, path: nil)])
        #expect(stdout == SARIFReporter().render(report))
    }

    @Test func outputStopsAtTheFirstFailedChunk() {
        var calls = 0
        let output = ReportOutput(chunkSize: 10) { _ in
            calls += 1
            return calls < 2
        }
        for _ in 0..<5 { output.append(Array(repeating: 0x61, count: 10)) }
        #expect(output.failed)
        #expect(calls == 2)
    }

    @Test(arguments: streamed)
    func failedWriteLeavesTheOldFileAndNoTemporaryFile(_ format: ReportFormat) throws {
        let dir = try Self.temporaryDirectory()
        let path = dir + "/report"
        try Data("old report".utf8).write(to: URL(fileURLWithPath: path))
        var writer = Self.writer()
        // The disk fills up on the third chunk.
        let counter = Counter()
        writer.writeChunk = { _, _ in
            guard counter.next() < 2 else {
                errno = ENOSPC
                return false
            }
            return true
        }
        #expect {
            try writer.write(LargeReport.make(resources: 2_000), to: [ReportTarget(format: format, path: path)])
        } throws: { error in
            guard case .output(let file, let reason)? = error as? RampartError else { return false }
            return file == path && reason.contains("write failed")
        }
        #expect(counter.value == 3, "nothing is written after the failed chunk")
        #expect(FileManager.default.contents(atPath: path) == Data("old report".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report"])
    }

    @Test func removedDirectoryIsAnOutputErrorNamingTheFile() throws {
        let dir = try Self.temporaryDirectory()
        try FileManager.default.removeItem(atPath: dir)
        let path = dir + "/r.sarif"
        #expect {
            try Self.writer().write(SampleReport.make(), to: [ReportTarget(format: .sarif, path: path)])
        } throws: { error in
            guard case .output(let file, _)? = error as? RampartError else { return false }
            return file == path
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func unavailableFormatIsRejectedBeforeAnyFileIsWritten() throws {
        let dir = try Self.temporaryDirectory()
        try Data("old report".utf8).write(to: URL(fileURLWithPath: dir + "/r.json"))
        var writer = Self.writer()
        writer.registry = { format, options in format == .sarif ? nil : format.reporter(options: options) }
        let targets = [ReportTarget(format: .json, path: dir + "/r.json"), ReportTarget(format: .junit, path: dir + "/r.xml"),
                       ReportTarget(format: .sarif, path: dir + "/r.sarif")]
        #expect {
            try writer.write(SampleReport.make(), to: targets)
        } throws: { error in
            guard case .usage(let message)? = error as? RampartError else { return false }
            return message.contains("sarif")
        }
        #expect(FileManager.default.contents(atPath: dir + "/r.json") == Data("old report".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["r.json"])
    }

    @Test func pipeOrDeviceIsWrittenInPlaceNotReplaced() throws {
        // `--report json=/dev/null` must not rename a regular file over the device; a FIFO stands in for it here.
        let path = try Self.temporaryDirectory() + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let reader = open(path, O_RDONLY | O_NONBLOCK)  // opened first, so the writer's open does not wait
        #expect(reader >= 0)
        defer { close(reader) }
        let report = SampleReport.make()
        #expect(try Self.writer().write(report, to: [ReportTarget(format: .json, path: path)]) == nil)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += buffer[..<n]
        }
        #expect(received == JSONReporter().render(report))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe is still a pipe")
    }

    @Test func writesTargetsOneAfterAnother() throws {
        let dir = try Self.temporaryDirectory()
        let report = LargeReport.make(resources: 500)
        let targets = ReportFormat.allCases.map { ReportTarget(format: $0, path: dir + "/r." + $0.rawValue) }
        #expect(try Self.writer().write(report, to: targets) == nil)
        for format in ReportFormat.allCases {
            #expect(FileManager.default.contents(atPath: dir + "/r." + format.rawValue).map(Array.init) == Self.reporter(format).render(report),
                    "\(format)")
        }
    }
}

/// A call counter a `@Sendable` test hook can use.
private final class Counter: Sendable {
    private let count = Mutex(0)

    /// Counts a call; returns how many calls came before it.
    func next() -> Int {
        count.withLock { n in
            n += 1
            return n - 1
        }
    }

    var value: Int { count.withLock { $0 } }
}
