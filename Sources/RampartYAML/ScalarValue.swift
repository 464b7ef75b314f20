/// A typed YAML scalar.
public enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    /// YAML 1.2 core schema resolution of a plain scalar (what Pulumi's go-yaml reads). Deliberately not YAML 1.1:
    /// `no`, `on`, `yes` stay strings.
    public static func resolve(_ text: String) -> ScalarValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
        default: break
        }
        if let n = number(text) { return .number(n) }
        return .string(text)
    }

    private static func number(_ text: String) -> Double? {
        let u = Array(text.utf8)
        guard let first = u.first else { return nil }
        let digitStart = (first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) ? 1 : 0
        guard digitStart < u.count else { return nil }
        let body = u[digitStart...]
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let marker = body[body.startIndex + 1]
            let digits = String(decoding: body.dropFirst(2), as: UTF8.self)
            let radix = marker == UInt8(ascii: "x") ? 16 : marker == UInt8(ascii: "o") ? 8 : 0
            if radix != 0, let v = Int(digits, radix: radix) { return Double(first == UInt8(ascii: "-") ? -v : v) }
        }
        // Decimal: digits, optional fraction, optional exponent; no leading '.' forms beyond what Double accepts.
        let allowed = body.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e")
            || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        guard allowed, body.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Double(text)
    }
}
