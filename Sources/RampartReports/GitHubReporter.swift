import RampartJSON
import RampartPolicy

/// The `github` report: GitHub Actions workflow commands that annotate the run (and, with a file position, the
/// pull request's diff). Mandatory violations and policy errors are `::error`, advisory violations `::warning`,
/// indeterminate outcomes `::notice`. Exempted and baselined findings are not annotated: they were accepted, and
/// annotations are for what needs attention now.
public struct GitHubReporter: Reporter {
    public static let format = "github"

    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ report: ScanReport) -> [UInt8] {
        ReportOutput.collect { write(report, to: $0) }
    }

    /// Streams the annotations, one command per line, handing them to `output` in chunks.
    public func write(_ report: ScanReport, to output: ReportOutput) {
        var out = OutputRoom()
        for failure in report.inputFailures {
            out.append("::error ")
            out.append("file=")
            GitHubReporter.appendEscaped(failure.file, &out, property: true)
            if let line = failure.line, line >= 1 {
                out.append(utf8: ",line=" + String(line))
                if let column = failure.column, column >= 1 { out.append(utf8: ",col=" + String(column)) }
            }
            out.append(",title=")
            GitHubReporter.appendEscaped("rampart: input not read", &out, property: true)
            out.append("::")
            GitHubReporter.appendEscaped(failure.message, &out, property: false)
            out.append("\n")
        }
        for f in report.findings where f.isActive {
            let command: String
            switch f.outcome {
            case .violation: command = f.enforcementLevel == .advisory ? "warning" : "error"
            case .indeterminate: command = "notice"
            default: command = "error"
            }
            out.append("::")
            out.append(utf8: command)
            out.append(" ")
            if let location = f.location {
                out.append("file=")
                GitHubReporter.appendEscaped(options.sourcePaths?.repositoryPath(location.file, stack: f.stack) ?? location.file,
                                             &out, property: true)
                out.append(",")
                if let line = location.line, line >= 1 {
                    out.append(utf8: "line=" + String(line) + ",")
                    if let column = location.column, column >= 1 { out.append(utf8: "col=" + String(column) + ",") }
                }
            }
            // The title `RULE (LEVEL, SEVERITY)[ OUTCOME]` escaped as a property, written in pieces: only the rule id
            // can hold characters to escape; the comma is the escaped one.
            out.append("title=")
            GitHubReporter.appendEscaped(f.ruleID, &out, property: true)
            out.append(" (")
            out.append(utf8: f.enforcementLevel.rawValue)
            out.append("%2C ")
            out.append(utf8: f.severity.rawValue)
            out.append(")")
            if f.outcome != .violation {
                out.append(" ")
                out.append(utf8: f.outcome.rawValue)
            }
            out.append("::")
            // The message's parts escaped one by one: escaping works scalar by scalar, so this is the escaped whole.
            if let r = f.resource {
                GitHubReporter.appendEscaped(r.type, &out, property: false)
                out.append(" ")
                GitHubReporter.appendEscaped(r.name, &out, property: false)
                out.append(" in ")
            } else {
                out.append("stack ")
            }
            GitHubReporter.appendEscaped(f.stack, &out, property: false)
            out.append(": ")
            GitHubReporter.appendEscaped(f.message, &out, property: false)
            if let r = f.resource {
                out.append("%0A")
                GitHubReporter.appendEscaped(r.urn, &out, property: false)
            }
            if let remediation = f.remediation, f.outcome == .violation {
                out.append("%0ARemediation: ")
                GitHubReporter.appendEscaped(remediation, &out, property: false)
            }
            out.append("\n")
            if out.count >= output.chunkSize { output.append(out.takeBytes()) }
        }
        output.append(out.takeAllBytes())
    }

    /// Appends `text` escaped as workflow-command data, or as a property value (`appendEscaped`).
    private static func appendEscaped(_ text: String, _ out: inout OutputRoom, property: Bool) {
        var text = text
        text.withUTF8 { appendEscaped($0, &out, property: property) }
    }

    /// Appends UTF-8 `bytes` as workflow-command data: `%`, CR and LF percent-encoded (the runner decodes them);
    /// other control characters, C0 and C1 (an ESC could restyle or hide log lines), and DEL become U+FFFD; tab
    /// stays. As a property value (`property`), `:` and `,`, which would end the value, are percent-encoded too.
    /// Runs of bytes that need nothing (almost all) are copied whole.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout OutputRoom, property: Bool) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var copied = 0, i = 0
        while i < n {
            // Sixteen bytes at a time past runs that hold none of the bytes the switch below acts on.
            while i &+ 16 <= n, !mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self), property) {
                i &+= 16
            }
            guard i < n else { break }
            let replacement: StaticString, count: Int
            switch base[i] {
            case 0x25: (replacement, count) = ("%25", 1)
            case 0x0D: (replacement, count) = ("%0D", 1)
            case 0x0A: (replacement, count) = ("%0A", 1)
            case 0x09:
                i &+= 1
                continue
            case 0x00..<0x20, 0x7F: (replacement, count) = ("\u{FFFD}", 1)
            // U+0080–U+009F, the C1 controls: C2 80 – C2 9F in UTF-8.
            case 0xC2 where i &+ 1 < n && (0x80...0x9F).contains(base[i &+ 1]): (replacement, count) = ("\u{FFFD}", 2)
            case 0x3A where property: (replacement, count) = ("%3A", 1)
            case 0x2C where property: (replacement, count) = ("%2C", 1)
            default:
                i &+= 1
                continue
            }
            if i > copied { out.append(UnsafeBufferPointer(start: base + copied, count: i &- copied)) }
            out.append(replacement)
            i &+= count
            copied = i
        }
        if n > copied { out.append(UnsafeBufferPointer(start: base + copied, count: n &- copied)) }
    }

    /// Whether a block holds a byte `appendEscaped` may change: a control (tab included), `%`, DEL, the lead byte
    /// of the C1 controls, and `:` or `,` in a property.
    @inline(__always)
    private static func mayNeedEscape(_ v: SIMD16<UInt8>, _ property: Bool) -> Bool {
        // Lane-wise bit arithmetic (as `JSONWriter`'s check): the high bit of a lane of `zero(x)` is set exactly
        // where that lane of `x` is 0, and of `(v - 0x20) & ~v` where `v` is below 0x20.
        @inline(__always) func zero(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> { (x &- SIMD16(repeating: 1)) & ~x }
        @inline(__always) func equal(_ byte: UInt8) -> SIMD16<UInt8> { zero(v ^ SIMD16(repeating: byte)) }
        var found = ((v &- SIMD16(repeating: 0x20)) & ~v) | equal(0x25) | equal(0x7F) | equal(0xC2)
        if property { found |= equal(0x3A) | equal(0x2C) }
        let words = unsafeBitCast(found & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// `text` escaped as workflow-command data (`appendEscaped`).
    public static func escapeData(_ text: String) -> String { escaped(text, property: false) }

    /// `text` escaped as a workflow-command property value: as data, plus `:` and `,`, which would end the value.
    public static func escapeProperty(_ text: String) -> String { escaped(text, property: true) }

    private static func escaped(_ text: String, property: Bool) -> String {
        var out = OutputRoom()
        appendEscaped(text, &out, property: property)
        return String(decoding: out.takeAllBytes(), as: UTF8.self)
    }
}
