/// Escaping of user-supplied strings (messages, names, URNs) for GitHub-flavoured Markdown, so they render as
/// text: no markup, HTML, table breaks, `@` mentions or line breaks sneak in from a policy message.
enum MarkdownText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            // A mention in a pull-request comment notifies people; the entity shows the same character.
            case "@": out += "&#64;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "{", "}": out += "\\" + String(ch)
            case "\n", "\r", "\t": out += " "
            default:
                // Control characters and the noncharacters U+FFFE/U+FFFF have no business in a comment.
                if ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) || ch.value == 0xFFFE || ch.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}
