import Foundation

/// Bounds on regular expressions in rules. ICU (behind `NSRegularExpression`) backtracks, so a pattern can take
/// exponential time on a short value. Two defences, documented in docs/robustness.md:
///
/// 1. At load, `nestedRepetition(in:)` rejects a repeated group that itself holds an unbounded repetition
///    (`(a+)+`, `(x*y)*`, `(?:\s*,)+`…), the shape behind almost every catastrophic pattern.
/// 2. At evaluation, `CompiledRegex.matches` stops a match that runs past `CompiledRegex.matchBudget` and the
///    (policy, resource) becomes an `error` outcome (polynomial blow-ups such as `x.*y.*z` on a long value get here).
enum RegexComplexity {
    /// An open group: where it starts and whether it holds an unbounded repetition so far.
    private struct Group { var start: Int; var holdsUnbounded = false }

    /// The first group of `pattern` that repeats without bound while holding an unbounded repetition, as written
    /// (`(a+)+`), or nil. Escapes, `\Q…\E` quoting and (nested) character classes are skipped.
    static func nestedRepetition(in pattern: String) -> String? {
        let c = Array(pattern.unicodeScalars)
        var stack: [Group] = [Group(start: 0)]
        var i = 0
        while i < c.count {
            switch c[i] {
            case "\\":
                if i + 1 < c.count, c[i + 1] == "Q" {
                    var j = i + 2
                    while j + 1 < c.count, !(c[j] == "\\" && c[j + 1] == "E") { j += 1 }
                    i = j + 2
                } else {
                    i += 2
                }
                i = markIfRepeated(c, at: i, group: &stack[stack.count - 1])
            case "[":
                i = markIfRepeated(c, at: skipClass(c, from: i), group: &stack[stack.count - 1])
            case "(":
                stack.append(Group(start: i))
                i += 1
            case ")" where stack.count > 1:
                let inner = stack.removeLast()
                let end = i + 1
                let (next, unbounded) = repetition(c, at: end)
                if unbounded && inner.holdsUnbounded {
                    return String(String.UnicodeScalarView(c[inner.start..<min(next, c.count)]))
                }
                if unbounded || inner.holdsUnbounded { stack[stack.count - 1].holdsUnbounded = true }
                i = next
            default:
                i = markIfRepeated(c, at: i + 1, group: &stack[stack.count - 1])
            }
        }
        return nil
    }

    /// After an atom ending before `index`: consumes a following quantifier and notes it in the group if unbounded.
    private static func markIfRepeated(_ c: [Unicode.Scalar], at index: Int, group: inout Group) -> Int {
        let (next, unbounded) = repetition(c, at: index)
        if unbounded { group.holdsUnbounded = true }
        return next
    }

    /// The quantifier at `index`, if any: where it ends (after a lazy `?` or possessive `+`) and whether it is
    /// unbounded (`*`, `+`, `{n,}`).
    private static func repetition(_ c: [Unicode.Scalar], at index: Int) -> (next: Int, unbounded: Bool) {
        guard index < c.count else { return (index, false) }
        var next = index
        var unbounded = false
        switch c[index] {
        case "*", "+": unbounded = true; next += 1
        case "?": next += 1
        case "{":
            var j = index + 1
            var text = ""
            while j < c.count, c[j] != "}" { text.unicodeScalars.append(c[j]); j += 1 }
            guard j < c.count, text.allSatisfy({ $0.isNumber || $0 == "," }), text.first?.isNumber == true else { return (index, false) }
            unbounded = text.hasSuffix(",")
            next = j + 1
        default: return (index, false)
        }
        if next < c.count, c[next] == "?" || c[next] == "+" { next += 1 }
        return (next, unbounded)
    }

    /// The index after the character class opening at `start` (ICU classes nest: `[[a-z]&&[^q]]`).
    private static func skipClass(_ c: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i < c.count {
            switch c[i] {
            case "\\": i += 1
            case "[": depth += 1
            case "]" where i > start + 1: // a `]` right after `[` is literal
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return c.count
    }
}
