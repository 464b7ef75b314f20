/// Escaping for text placed in HTML by the HTML report.
enum HTMLText {
    /// Escapes for element content and double- or single-quoted attribute values alike (`&`, `<`, `>`, `"`, `'`),
    /// and replaces control characters HTML does not allow (C0 other than tab, line feed and carriage return;
    /// DEL; C1) and noncharacters with U+FFFD, so the document parses without errors whatever the inputs held.
    static func escape(_ text: String) -> String {
        // Most texts hold nothing to escape: told from their bytes and returned as they are. Escaping a scalar at a
        // time cost ~100 instructions a byte, ~50 M for the policies section of a run of the default packs.
        guard text.utf8.contains(where: mayChange) else { return text }
        return escapeEachScalar(text)
    }

    /// `escape`'s rules applied a scalar at a time, to any text.
    static func escapeEachScalar(_ text: String) -> String {
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

    /// Whether a UTF-8 byte may belong to a scalar `escape` changes: a control other than tab, line feed and carriage
    /// return, one of `&<>"'`, DEL, the lead byte of the C1 controls (C2), or a lead byte of the three- and four-byte
    /// sequences that hold the noncharacters (EF for U+FDD0–U+FDEF and U+FFFE/U+FFFF, F0–F4 for the other planes').
    private static func mayChange(_ b: UInt8) -> Bool {
        switch b {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20, 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x7F, 0xC2, 0xEF...: return true
        default: return false
        }
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
