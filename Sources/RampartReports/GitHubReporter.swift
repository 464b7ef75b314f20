import RampartPolicy

/// The `github` report: GitHub Actions workflow commands that annotate the run (and, with a file position, the
/// pull request's diff). Mandatory violations and policy errors are `::error`, advisory violations `::warning`,
/// indeterminate outcomes `::notice`. Exempted and baselined findings are not annotated: they were accepted, and
/// annotations are for what needs attention now.
public struct GitHubReporter: Reporter {
    public static let format = "github"

    public init() {}

    public func render(_ report: ScanReport) -> [UInt8] {
        var out = ""
        for f in report.findings where f.isActive {
            let command: String
            switch f.outcome {
            case .violation: command = f.enforcementLevel == .advisory ? "warning" : "error"
            case .indeterminate: command = "notice"
            default: command = "error"
            }
            var properties: [(String, String)] = []
            if let location = f.location {
                properties.append(("file", location.file))
                if let line = location.line, line >= 1 {
                    properties.append(("line", String(line)))
                    if let column = location.column, column >= 1 { properties.append(("col", String(column))) }
                }
            }
            let title = "\(f.ruleID) (\(f.enforcementLevel.rawValue), \(f.severity.rawValue))"
                + (f.outcome == .violation ? "" : " \(f.outcome.rawValue)")
            properties.append(("title", title))
            var message = f.message
            if let r = f.resource { message = "\(r.type) \(r.name) in \(f.stack): \(message)\n\(r.urn)" }
            else { message = "stack \(f.stack): \(message)" }
            if let remediation = f.remediation, f.outcome == .violation { message += "\nRemediation: " + remediation }
            out += "::\(command) "
            out += properties.map { $0.0 + "=" + GitHubReporter.escapeProperty($0.1) }.joined(separator: ",")
            out += "::" + GitHubReporter.escapeData(message) + "\n"
        }
        return Array(out.utf8)
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
