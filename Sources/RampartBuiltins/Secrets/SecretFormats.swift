import Foundation
import RampartModel

/// Known credential formats (the prefixes and shapes their issuers document), matched byte by byte in one pass: no
/// regular expressions, since `plaintext-secrets-in-state` runs this over every string of every resource.
enum SecretFormats {
    /// The first known format found anywhere in `text`, with a reason.
    static func match(_ text: String) -> (SecretKind, String)? {
        let b = Array(text.utf8)
        guard b.count >= 8 else { return nil }
        var i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case ascii("A"):
                if let kind = matchA(b, i) { return kind }
            case ascii("p"):
                if has(b, i, "pul-"), run(b, i + 4, isLowerHex) == 40, boundaryAfter(b, i + 44), boundaryBefore(b, i) {
                    return (.pulumiAccessToken, "'pul-' followed by 40 hex characters")
                }
            case ascii("g"):
                if let kind = matchG(b, i) { return kind }
            case ascii("x"):
                if has(b, i, "xox"), i + 4 < b.count, "bpars".utf8.contains(b[i + 3]), b[i + 4] == ascii("-"), boundaryBefore(b, i) {
                    let n = run(b, i + 5) { isAlnum($0) || $0 == ascii("-") }
                    if n >= 20, b[(i + 5)..<(i + 5 + n)].contains(where: isDigit) {
                        return (.slackToken, "'xox?-' Slack token")
                    }
                }
            case ascii("s"), ascii("r"):
                if has(b, i + 1, "k_live_") || has(b, i + 1, "k_prod_"), boundaryBefore(b, i) {
                    let n = run(b, i + 8, isAlnum)
                    if n >= 20, entropy(b, i + 8, n) > 3.0 { return (.stripeSecretKey, "Stripe live secret or restricted key") }
                }
            case ascii("e"):
                if has(b, i, "eyJ"), boundaryBefore(b, i), isJWT(b, i) {
                    return (.jwt, "three base64url parts whose header decodes to JSON with 'alg'")
                }
            case ascii("-"):
                if has(b, i, "-----BEGIN "), isPrivateKeyHeader(b, i + 11) {
                    return (.privateKey, "PEM private key header")
                }
            case ascii(":"):
                if has(b, i, "://"), hasCredentials(b, i) {
                    return (.credentialsInURL, "URL of the form scheme://user:password@host")
                }
            default:
                break
            }
            i += 1
        }
        if find(b, "service_account"), find(b, "\"private_key\"") {
            return (.gcpServiceAccountKey, "JSON with type 'service_account' and a 'private_key'")
        }
        return nil
    }

    private static func matchA(_ b: [UInt8], _ i: Int) -> (SecretKind, String)? {
        if (has(b, i, "AKIA") || has(b, i, "ASIA")), boundaryBefore(b, i) {
            let n = run(b, i + 4) { isUpper($0) || isDigit($0) }
            if n == 16, boundaryAfter(b, i + 20), !has(b, i + 13, "EXAMPLE"), entropy(b, i, 20) > 3.0 {
                return (.awsAccessKeyID, "'AKIA'/'ASIA' followed by 16 upper-case letters or digits")
            }
        }
        if has(b, i, "AIza"), boundaryBefore(b, i) {
            let n = run(b, i + 4) { isAlnum($0) || $0 == ascii("_") || $0 == ascii("-") }
            if n == 35, entropy(b, i, 39) > 3.5 { return (.googleAPIKey, "'AIza' followed by 35 characters") }
        }
        if has(b, i, "AccountKey=") {
            let n = run(b, i + 11) { isAlnum($0) || $0 == ascii("+") || $0 == ascii("/") || $0 == ascii("=") }
            if n >= 40, entropy(b, i + 11, n) > 3.5 { return (.azureStorageConnectionString, "'AccountKey=' followed by a base64 key") }
        }
        return nil
    }

    private static func matchG(_ b: [UInt8], _ i: Int) -> (SecretKind, String)? {
        guard boundaryBefore(b, i) else { return nil }
        if i + 3 < b.count, b[i + 1] == ascii("h"), "pousr".utf8.contains(b[i + 2]), b[i + 3] == ascii("_") {
            let n = run(b, i + 4, isAlnum)
            if n == 36, entropy(b, i + 4, 36) > 3.0 { return (.githubToken, "'gh?_' followed by 36 characters") }
        }
        if has(b, i, "github_pat_") {
            let n = run(b, i + 11) { isAlnum($0) || $0 == ascii("_") }
            if n >= 82 { return (.githubToken, "'github_pat_' fine-grained token") }
        }
        if has(b, i, "glpat-") {
            let n = run(b, i + 6) { isAlnum($0) || $0 == ascii("_") || $0 == ascii("-") }
            if n >= 20, entropy(b, i + 6, n) > 3.0 { return (.gitlabToken, "'glpat-' personal access token") }
        }
        return nil
    }

    /// `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`.
    private static func isPrivateKeyHeader(_ b: [UInt8], _ start: Int) -> Bool {
        var end = start
        while end < b.count, end - start < 60, b[end] != ascii("-") { end += 1 }
        guard has(b, end, "-----") else { return false }
        let label = String(decoding: b[start..<end], as: UTF8.self)
        return label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK")
    }

    /// `header.payload.signature` in base64url, with a header that decodes to a JSON object holding `alg`.
    private static func isJWT(_ b: [UInt8], _ start: Int) -> Bool {
        let isB64URL: (UInt8) -> Bool = { isAlnum($0) || $0 == ascii("-") || $0 == ascii("_") }
        let h = run(b, start, isB64URL)
        guard h >= 10, start + h < b.count, b[start + h] == ascii(".") else { return false }
        let p = run(b, start + h + 1, isB64URL)
        guard p >= 10, start + h + 1 + p < b.count, b[start + h + 1 + p] == ascii(".") else { return false }
        guard let header = base64URLDecode(b[start..<(start + h)]),
              let value = try? PropertyValue.parse(json: String(decoding: header, as: UTF8.self)) else { return false }
        return value["alg"]?.string != nil
    }

    static func base64URLDecode(_ part: ArraySlice<UInt8>) -> [UInt8]? {
        var text = String(decoding: part, as: UTF8.self).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { [UInt8]($0) }
    }

    /// `scheme://user:password@host` with a real-looking password (not `${VAR}`, `$VAR`, `<password>`, `****`, …).
    private static func hasCredentials(_ b: [UInt8], _ colon: Int) -> Bool {
        var s = colon
        while s > 0, isAlnum(b[s - 1]) || b[s - 1] == ascii("+") || b[s - 1] == ascii("-") || b[s - 1] == ascii(".") { s -= 1 }
        guard colon - s >= 2 else { return false }
        let start = colon + 3
        var at = start, passwordStart = -1
        while at < b.count {
            let c = b[at]
            if c == ascii("@") { break }
            if c == ascii("/") || c == ascii("?") || c == ascii("#") || c == 0x20 || c == 0x0A || c == 0x09 || c == ascii("\"") || c == ascii("'") { return false }
            if c == ascii(":"), passwordStart < 0 { passwordStart = at + 1 }
            at += 1
        }
        guard at < b.count, passwordStart > 0, passwordStart < at, at + 1 < b.count, isAlnum(b[at + 1]) || b[at + 1] == ascii("[") else { return false }
        let password = String(decoding: b[passwordStart..<at], as: UTF8.self)
        return !SecretHeuristics.isKnownNonSecret(password) && !SecretHeuristics.isPlaceholderWord(password)
    }

    /// 40 characters of `[A-Za-z0-9/+]` with high entropy: the shape of an AWS secret access key.
    static func isAWSSecretKeyShape(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 40, b.allSatisfy({ isAlnum($0) || $0 == ascii("/") || $0 == ascii("+") }) else { return false }
        guard !text.hasSuffix("EXAMPLEKEY") else { return false }
        return entropy(b, 0, 40) > 4.0
    }

    /// A config or state object that is a service-account key file.
    static func isServiceAccountObject(_ value: PropertyValue) -> Bool {
        guard value["type"]?.string == "service_account" else { return false }
        guard let key = value["private_key"] else { return false }
        return key.kind == .string && (key.string?.isEmpty == false)
    }

    // MARK: - Byte helpers

    static func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isUpper(c) || isLower(c) }
    static func isLowerHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) }

    static func has(_ b: [UInt8], _ i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= b.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for k in 0..<n where b[i + k] != buffer[k] { return false }
            return true
        }
    }

    /// Whether `literal` occurs anywhere in `b` (Foundation's `contains` bridges through NSString on Linux).
    static func find(_ b: [UInt8], _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard n <= b.count else { return false }
        let first = literal.withUTF8Buffer { $0[0] }
        for i in 0...(b.count - n) where b[i] == first && has(b, i, literal) { return true }
        return false
    }

    static func run(_ b: [UInt8], _ start: Int, _ predicate: (UInt8) -> Bool) -> Int {
        var i = start
        while i < b.count, predicate(b[i]) { i += 1 }
        return max(0, i - start)
    }

    static func boundaryBefore(_ b: [UInt8], _ i: Int) -> Bool { i == 0 || !isAlnum(b[i - 1]) }
    static func boundaryAfter(_ b: [UInt8], _ i: Int) -> Bool { i >= b.count || !isAlnum(b[i]) }

    static func entropy(_ b: [UInt8], _ start: Int, _ count: Int) -> Double {
        SecretDetector.shannonEntropy(Array(b[start..<min(b.count, start + count)]))
    }
}
