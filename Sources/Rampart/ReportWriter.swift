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
            throw .usage("--report '\(text)': unknown format, expected one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")) optionally followed by =PATH")
        }
        let path = parts.count > 1 ? parts[1] : nil
        self.init(format: format, path: (path == nil || path == "-" || path == "") ? nil : path)
    }
}

/// Renders every requested report from the one report value, then writes them: files atomically (written to a
/// temporary file and renamed), stdout last. Nothing is written unless every report rendered.
public struct ReportWriter: Sendable {
    public var options: ReportOptions
    /// Reporters used instead of the standard ones for some formats (`rampart audit` renders text and Markdown
    /// as its checklist).
    public var overrides: [ReportFormat: any Reporter]

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

    public func render(_ report: ScanReport, as format: ReportFormat) throws(RampartError) -> [UInt8] {
        guard let reporter = overrides[format] ?? ReportRegistry.reporter(for: format, options: options) else {
            throw .usage("--report \(format.rawValue): this format is not available in this build")
        }
        return reporter.render(report)
    }

    /// Writes the reports; returns the bytes meant for stdout (if any) so the caller prints them.
    public func write(_ report: ScanReport, to targets: [ReportTarget]) throws(RampartError) -> [UInt8]? {
        try ReportWriter.validate(targets)
        var rendered: [(ReportTarget, [UInt8])] = []
        for target in targets { rendered.append((target, try render(report, as: target.format))) }
        var stdout: [UInt8]?
        for (target, bytes) in rendered {
            guard let path = target.path else { stdout = bytes; continue }
            try ReportWriter.writeAtomically(bytes, to: path)
        }
        return stdout
    }

    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(RampartError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .output(file: path, reason: "directory \(directory.path) does not exist")
        }
        // Written straight from the buffer (no `Data` copy: a large report would otherwise sit in memory twice) to a
        // temporary file beside the target, then renamed over it, so a reader never sees a half-written report.
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).rampart-\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .output(file: path, reason: "cannot create a file in \(directory.path)") }
        let failed = !writeAll(fd, bytes)
        let closed = close(fd) == 0
        guard !failed, closed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .output(file: path, reason: "write failed")
        }
    }
}

/// Writes every byte to `fd`, retrying short writes and interruptions; false on an error.
private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
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
}

/// Maps formats to reporters.
enum ReportRegistry {
    static func reporter(for format: ReportFormat, options: ReportOptions) -> (any Reporter)? {
        switch format {
        case .text: return TextReporter(options: options)
        case .json: return JSONReporter()
        case .junit: return JUnitReporter(options: options)
        case .sarif: return SARIFReporter()
        case .markdown: return MarkdownReporter(options: options)
        case .github: return GitHubReporter()
        }
    }
}
