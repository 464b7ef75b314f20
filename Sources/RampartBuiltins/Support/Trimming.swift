import Foundation

extension String {
    /// The text without leading and trailing white space (and newlines unless `newlines` is false), as
    /// `trimmingCharacters(in:)` gives it; the text itself when it cannot need trimming (`mayNeedTrimming`).
    /// Foundation's trimming costs thousands of instructions even when there is nothing to trim, and policies
    /// trim a description, a key reference or a candidate secret on every resource.
    func trimmingWhitespace(newlines: Bool = true) -> String {
        guard mayNeedTrimming else { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }

    /// Whether trimming white space could change the text: false when its first and last bytes are ASCII and not
    /// ASCII white space (U+0009–U+000D, U+0020), the only ASCII members of `.whitespacesAndNewlines` (and so of
    /// `.whitespaces`, a subset of it).
    var mayNeedTrimming: Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && !(b >= 0x09 && b <= 0x0D) }
        return !(plain(first) && plain(last))
    }
}
