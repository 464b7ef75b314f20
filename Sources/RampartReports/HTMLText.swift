/// Escaping for text placed in HTML by the HTML report.
enum HTMLText {
    /// Escapes for element content and double- or single-quoted attribute values alike (`&`, `<`, `>`, `"`, `'`),
    /// and replaces control characters HTML does not allow (C0 other than tab, line feed and carriage return;
    /// DEL; C1) and noncharacters with U+FFFD, so the document parses without errors whatever the inputs held.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let control = v < 0x20 || (0x7F...0x9F).contains(v)
                let noncharacter = (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
                out.unicodeScalars.append(control || noncharacter ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    /// At most `limit` characters, with an ellipsis when cut (chart labels).
    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A count with thousands separators (`12,345`), as the overview shows it.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
