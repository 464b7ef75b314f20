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
        var out: [UInt8] = []
        for failure in report.inputFailures {
            out.append(contentsOf: "::error ".utf8)
            GitHubReporter.append("file=", &out)
            GitHubReporter.append(failure.file, &out, property: true)
            if let line = failure.line, line >= 1 {
                GitHubReporter.append(",line=" + String(line), &out)
                if let column = failure.column, column >= 1 { GitHubReporter.append(",col=" + String(column), &out) }
            }
            GitHubReporter.append(",title=", &out)
            GitHubReporter.append("rampart: input not read", &out, property: true)
            out.append(contentsOf: "::".utf8)
            GitHubReporter.append(failure.message, &out, data: true)
            out.append(0x0A)
        }
        for f in report.findings where f.isActive {
            let command: String
            switch f.outcome {
            case .violation: command = f.enforcementLevel == .advisory ? "warning" : "error"
            case .indeterminate: command = "notice"
            default: command = "error"
            }
            out.append(contentsOf: "::".utf8)
            out.append(contentsOf: command.utf8)
            out.append(0x20)
            if let location = f.location {
                GitHubReporter.append("file=", &out)
                GitHubReporter.append(options.sourcePaths?.repositoryPath(location.file, stack: f.stack) ?? location.file,
                                      &out, property: true)
                out.append(0x2C)
                if let line = location.line, line >= 1 {
                    GitHubReporter.append("line=" + String(line) + ",", &out)
                    if let column = location.column, column >= 1 { GitHubReporter.append("col=" + String(column) + ",", &out) }
                }
            }
            let title = "\(f.ruleID) (\(f.enforcementLevel.rawValue), \(f.severity.rawValue))"
                + (f.outcome == .violation ? "" : " \(f.outcome.rawValue)")
            GitHubReporter.append("title=", &out)
            GitHubReporter.append(title, &out, property: true)
            out.append(contentsOf: "::".utf8)
            // The message's parts escaped one by one: escaping works scalar by scalar, so this is the escaped whole.
            if let r = f.resource {
                GitHubReporter.append(r.type, &out, data: true)
                out.append(0x20)
                GitHubReporter.append(r.name, &out, data: true)
                out.append(contentsOf: " in ".utf8)
            } else {
                out.append(contentsOf: "stack ".utf8)
            }
            GitHubReporter.append(f.stack, &out, data: true)
            out.append(contentsOf: ": ".utf8)
            GitHubReporter.append(f.message, &out, data: true)
            if let r = f.resource {
                out.append(contentsOf: "%0A".utf8)
                GitHubReporter.append(r.urn, &out, data: true)
            }
            if let remediation = f.remediation, f.outcome == .violation {
                out.append(contentsOf: "%0ARemediation: ".utf8)
                GitHubReporter.append(remediation, &out, data: true)
            }
            out.append(0x0A)
            if out.count >= output.chunkSize {
                output.append(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        output.append(out)
    }

    /// Appends `text`, escaped as a property value or as data when asked; text that needs no escaping (almost
    /// all) is copied as it is.
    private static func append(_ text: String, _ out: inout [UInt8], property: Bool = false, data: Bool = false) {
        var text = text
        let plain = text.withUTF8 { bytes in
            if property || data {
                for byte in bytes {
                    // `%`, controls (C1 ones start with 0xC2 in UTF-8), DEL; `:` and `,` in properties.
                    if byte == 0x25 || (byte < 0x20 && byte != 0x09) || byte == 0x7F || byte == 0xC2 { return false }
                    if property && (byte == 0x3A || byte == 0x2C) { return false }
                }
            }
            out.append(contentsOf: bytes)
            return true
        }
        if !plain { out.append(contentsOf: (property ? escapeProperty(text) : escapeData(text)).utf8) }
    }

    /// Workflow-command data: `%`, CR and LF are percent-encoded (the runner decodes them). Other control
    /// characters (an ESC could restyle or hide log lines) become U+FFFD; tab stays.
    public static func escapeData(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case "\t": out += "\t"
            default:
                if ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A workflow-command property value: as data, plus `:` and `,`, which would end the value.
    public static func escapeProperty(_ text: String) -> String {
        var out = ""
        for ch in escapeData(text).unicodeScalars {
            switch ch {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
