import Foundation
import RampartPolicy
import RampartReports

/// A `--report FORMAT[=PATH]` request; no path or `-` means stdout.
public struct ReportTarget: Sendable, Hashable {
    public var format: ReportFormat
    /// nil = stdout.
    public var path: String?

    public init(format: ReportFormat, path: String?) {
        self.format = format
        self.path = path
    }

    /// Parses `FORMAT[=PATH]`.
    public init(parsing text: String) throws(RampartError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard let name = parts.first, let format = ReportFormat(rawValue: name) else {
            throw .usage("--report '\(text)': unknown format, expected one of \(ReportFormat.allNames) optionally followed by =PATH")
        }
        let path = parts.count > 1 ? parts[1] : nil
        self.init(format: format, path: (path == nil || path == "-" || path == "") ? nil : path)
    }
}

/// Writes every requested report from the one report value: each file streamed to a temporary file beside it and
/// renamed over it once complete, one after the other; stdout's report is rendered last and returned. Every
/// format is checked to be available before any file is touched.
public struct ReportWriter: Sendable {
    public var options: ReportOptions
    /// Reporters used instead of the standard ones for some formats (`rampart audit` renders text and Markdown
    /// as its checklist).
    public var overrides: [ReportFormat: any Reporter]
    /// Bytes a streaming reporter buffers before writing them out; tests make it tiny to exercise many writes.
    var chunkSize = ReportOutput.defaultChunkSize
    /// Threads a reporter may render a long list of records on (`ReportOutput.workers`); the run's `--jobs`.
    public var jobs = 1
    /// The standard reporter of a format, nil when this build has none; replaceable in tests.
    var registry: @Sendable (ReportFormat, ReportOptions) -> (any Reporter)? = { format, options in format.reporter(options: options) }
    /// Writes one chunk to a file descriptor; replaceable in tests to make a write fail.
    var writeChunk: @Sendable (Int32, UnsafeRawBufferPointer) -> Bool = writeAll

    public init(options: ReportOptions = ReportOptions(), overrides: [ReportFormat: any Reporter] = [:]) {
        self.options = options
        self.overrides = overrides
    }

    public static func validate(_ targets: [ReportTarget]) throws(RampartError) {
        if targets.filter({ $0.path == nil }).count > 1 {
            throw .usage("only one --report may write to stdout; give the others a path (FORMAT=PATH)")
        }
        var paths = Set<String>()
        for target in targets {
            if let path = target.path, !paths.insert(path).inserted { throw .usage("two reports write to the same file \(path)") }
        }
    }

    /// The reporter for a format: an override, else the standard one.
    func reporter(for format: ReportFormat) throws(RampartError) -> any Reporter {
        guard let reporter = overrides[format] ?? registry(format, options) else {
            throw .usage("--report \(format.rawValue): this format is not available in this build")
        }
        return reporter
    }

    public func render(_ report: ScanReport, as format: ReportFormat) throws(RampartError) -> [UInt8] {
        let output = ReportOutput(chunkSize: chunkSize, workers: jobs)
        try reporter(for: format).write(report, to: output)
        return output.takeBytes()
    }

    /// Writes the reports; returns the bytes meant for stdout (if any) so the caller prints them.
    ///
    /// One report at a time, each streamed straight to its file, so memory holds one chunk of output rather than
    /// every report whole. A failure stops at that file: reports written before it stay written (each is complete).
    public func write(_ report: ScanReport, to targets: [ReportTarget]) throws(RampartError) -> [UInt8]? {
        try ReportWriter.validate(targets)
        var reporters: [(ReportTarget, any Reporter)] = []
        for target in targets { reporters.append((target, try reporter(for: target.format))) }
        var stdout: (any Reporter)?
        for (target, reporter) in reporters {
            guard let path = target.path else { stdout = reporter; continue }
            try writeAtomically(to: path) { reporter.write(report, to: $0) }
        }
        guard let stdout else { return nil }
        let output = ReportOutput(chunkSize: chunkSize, workers: jobs)
        stdout.write(report, to: output)
        return output.takeBytes()
    }

    /// Writes bytes to `path` atomically (see `writeAtomically(to:_:)`).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(RampartError) {
        try ReportWriter().writeAtomically(to: path) { $0.append(bytes) }
    }

    /// Streams what `body` writes to a temporary file beside `path`, then renames it over `path`, so a reader never
    /// sees a half-written report. On failure the temporary file is removed, any old file at `path` is left as it
    /// was, and the error names `path`. An existing device or pipe at `path` is written in place instead.
    func writeAtomically(to path: String, _ body: (ReportOutput) -> Void) throws(RampartError) {
        // A device or pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: renaming a file over it would
        // replace the device node itself with a regular file.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            try writeInPlace(to: path, body)
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .output(file: path, reason: "directory \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).rampart-\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output(file: path, reason: "cannot create a file in \(directory.path)") }
        var (failed, writeError) = stream(to: fd, body)
        if !failed && rename(temporary, path) != 0 {
            failed = true
            writeError = errno
        }
        guard !failed else {
            unlink(temporary)
            throw .output(file: path, reason: "write failed" + (writeError != 0 ? ": " + String(cString: strerror(writeError)) : ""))
        }
    }
}

extension ReportWriter {
    /// Streams what `body` writes to `fd` in chunks and closes it; whether a write or the close failed, with the
    /// system error.
    private func stream(to fd: Int32, _ body: (ReportOutput) -> Void) -> (failed: Bool, error: Int32) {
        let writeChunk = self.writeChunk
        var writeError: Int32 = 0
        let output = ReportOutput(chunkSize: chunkSize, workers: jobs) { chunk in
            if writeChunk(fd, chunk) { return true }
            writeError = errno
            return false
        }
        body(output)
        let closed = close(fd) == 0
        if !closed && writeError == 0 { writeError = errno }
        return (output.failed || !closed, writeError)
    }

    /// Streams what `body` writes straight into an existing device or pipe.
    private func writeInPlace(to path: String, _ body: (ReportOutput) -> Void) throws(RampartError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .output(file: path, reason: "cannot open: " + String(cString: strerror(errno))) }
        let (failed, writeError) = stream(to: fd, body)
        guard !failed else {
            throw .output(file: path, reason: "write failed" + (writeError != 0 ? ": " + String(cString: strerror(writeError)) : ""))
        }
    }
}

/// Writes every byte to `fd`, retrying short writes and interruptions; false on an error (`errno` says which).
@Sendable private func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    var written = 0
    while written < buffer.count {
        let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        written += n
    }
    return true
}
