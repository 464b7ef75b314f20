import Foundation
import RampartModel

/// Known credential formats (the prefixes and shapes their issuers document), matched byte by byte in one pass: no
/// regular expressions, since `plaintext-secrets-in-state` runs this over every string of every resource.
enum SecretFormats {
    /// A string's UTF-8 bytes, read in place.
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The first known format found anywhere in `text`, with a reason.
    static func match(_ text: String) -> (SecretKind, String)? {
        var text = text
        // `withUTF8` reads a native string in place (it copies only a bridged one).
        return text.withUTF8 { match(utf8: $0) }
    }

    /// The first known format found anywhere in `b`, with a reason.
    ///
    /// This runs over every string byte of every resource, so it must keep up with reading the input (issue #21:
    /// it ran at ~37 MB/s). Every format opens with a fixed run of at least three bytes (`AKI`, `gh`+`p`, `eyJ`,
    /// `---`, `://`, …). So the scan steps two bytes at a time and looks up the pair of bytes at each even
    /// position in two bit tables: one of the formats' first two bytes (a format may start here) and one of their
    /// second and third bytes (a format may start one byte earlier). Any occurrence of a format covers one even
    /// position with one of its pairs, and almost every position of any text is rejected with one lookup. The
    /// checks themselves are unchanged and run in position order, so this finds exactly what a check at every
    /// position would.
    static func match(utf8 b: Bytes) -> (SecretKind, String)? {
        guard b.count >= 8 else { return nil }
        let result: (SecretKind, String)?? = OpeningPairs.table.withUnsafeBufferPointer { table in
            /// The checks a pair at even position `j` calls for (a format may start at `j - 1` or `j`).
            func checks(at j: Int, pair: Int) -> (SecretKind, String)? {
                let bit: UInt64 = 1 &<< UInt64(pair & 63)
                let slot = (pair &>> 6) &* 3
                guard table[slot] & bit != 0 else { return nil }
                if j > 0, table[slot &+ 2] & bit != 0, let found = check(b, j &- 1) { return found }
                if table[slot &+ 1] & bit != 0, let found = check(b, j) { return found }
                return nil
            }
            @inline(__always) func hit(_ pair: UInt64) -> UInt64 {
                table[Int(truncatingIfNeeded: pair &>> 6) &* 3] &>> (pair & 63)
            }
            let base = b.baseAddress!
            var j = 0
            // Eight bytes (four even positions) per step: one load, four lookups, one branch while nothing hits.
            while j &+ 8 <= b.count {
                let word = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self).littleEndian
                let p0 = word & 0xFFFF, p1 = (word &>> 16) & 0xFFFF, p2 = (word &>> 32) & 0xFFFF, p3 = word &>> 48
                if (hit(p0) | hit(p1) | hit(p2) | hit(p3)) & 1 != 0 {
                    for k in 0..<4 {
                        let pair = Int(truncatingIfNeeded: (word &>> UInt64(16 &* k)) & 0xFFFF)
                        if let found = checks(at: j &+ 2 &* k, pair: pair) { return found }
                    }
                }
                j &+= 8
            }
            while j &+ 1 < b.count {
                if let found = checks(at: j, pair: Int(b[j]) | Int(b[j &+ 1]) &<< 8) { return found }
                j &+= 2
            }
            return nil
        }
        if let result { return result }
        if holdsServiceAccountMarkers(b) {
            return (.gcpServiceAccountKey, "JSON with type 'service_account' and a 'private_key'")
        }
        return nil
    }

    /// The opening bytes of every format `check` looks for, as bit tables over pairs of bytes (`first | second << 8`,
    /// 65,536 bits each). Three words per 64 pairs, side by side so one cache line serves a lookup: any pair below,
    /// the pairs that open a format, and the pairs a format holds at its second and third bytes.
    enum OpeningPairs {
        /// Each `check` case's fixed opening (three bytes or more), one entry per byte a case allows at a position.
        static let openings = [
            "AKIA", "ASIA", "AIza", "AccountKey=", "pul-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
            "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "sk_live_", "sk_prod_", "rk_live_", "rk_prod_",
            "eyJ", "-----BEGIN ", "://",
        ]

        static let table: [UInt64] = {
            var bits = [UInt64](repeating: 0, count: 1024 * 3)
            func set(_ a: UInt8, _ b: UInt8, _ which: Int) {
                let pair = Int(a) | Int(b) << 8  // little-endian: the pair as one 16-bit load reads it
                bits[(pair >> 6) * 3] |= 1 << UInt64(pair & 63)
                bits[(pair >> 6) * 3 + which] |= 1 << UInt64(pair & 63)
            }
            for opening in openings {
                let o = Array(opening.utf8)
                set(o[0], o[1], 1)
                set(o[1], o[2], 2)
            }
            return bits
        }()
    }

    /// Whether `service_account` and `"private_key"` both occur in `b` (a service-account key file pasted into a
    /// value). Both hold `_`, which most text lacks: the scan looks for it eight bytes at a time.
    static func holdsServiceAccountMarkers(_ b: Bytes) -> Bool {
        var serviceAccount = false, privateKeyMember = false
        let underscore = ascii("_")
        var i = 0
        while i < b.count {
            if i &+ 8 <= b.count {
                let word = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let x = word ^ 0x5F5F_5F5F_5F5F_5F5F
                if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 == 0 { i &+= 8; continue }
            }
            if b[i] == underscore {
                if !serviceAccount, has(b, i - 7, "service_account") { serviceAccount = true }
                if !privateKeyMember, has(b, i - 8, "\"private_key\"") { privateKeyMember = true }
                if serviceAccount && privateKeyMember { return true }
            }
            i &+= 1
        }
        return false
    }

    /// The formats that can start at `i` (whose first two or second two bytes are an opening pair).
    private static func check(_ b: Bytes, _ i: Int) -> (SecretKind, String)? {
        switch b[i] {
        case ascii("A"):
            return matchA(b, i)
        case ascii("p"):
            if has(b, i, "pul-"), run(b, i + 4, isLowerHex) == 40, boundaryAfter(b, i + 44), boundaryBefore(b, i) {
                return (.pulumiAccessToken, "'pul-' followed by 40 hex characters")
            }
        case ascii("g"):
            return matchG(b, i)
        case ascii("x"):
            if has(b, i, "xox"), i + 4 < b.count, "bpars".utf8.contains(b[i + 3]), b[i + 4] == ascii("-"), startsToken(b, i, isSlackCharacter) {
                let n = run(b, i + 5, isSlackCharacter)
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
            if has(b, i, "eyJ"), startsToken(b, i, isBase64URL), isJWT(b, i) {
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
        return nil
    }

    private static func matchA(_ b: Bytes, _ i: Int) -> (SecretKind, String)? {
        if (has(b, i, "AKIA") || has(b, i, "ASIA")), boundaryBefore(b, i) {
            let n = run(b, i + 4) { isUpper($0) || isDigit($0) }
            if n == 16, boundaryAfter(b, i + 20), !has(b, i + 13, "EXAMPLE"), entropy(b, i, 20) > 3.0 {
                return (.awsAccessKeyID, "'AKIA'/'ASIA' followed by 16 upper-case letters or digits")
            }
        }
        if has(b, i, "AIza"), startsToken(b, i, isBase64URL) {
            let n = run(b, i + 4, isBase64URL)
            if n == 35, entropy(b, i, 39) > 3.5 { return (.googleAPIKey, "'AIza' followed by 35 characters") }
        }
        if has(b, i, "AccountKey="), startsToken(b, i, isBase64) {
            let n = run(b, i + 11, isBase64)
            if n >= 40, entropy(b, i + 11, n) > 3.5 { return (.azureStorageConnectionString, "'AccountKey=' followed by a base64 key") }
        }
        return nil
    }

    private static func matchG(_ b: Bytes, _ i: Int) -> (SecretKind, String)? {
        guard boundaryBefore(b, i) else { return nil }
        if i + 3 < b.count, b[i + 1] == ascii("h"), "pousr".utf8.contains(b[i + 2]), b[i + 3] == ascii("_") {
            let n = run(b, i + 4, isAlnum)
            if n == 36, entropy(b, i + 4, 36) > 3.0 { return (.githubToken, "'gh?_' followed by 36 characters") }
        }
        if has(b, i, "github_pat_"), startsToken(b, i, isWordCharacter) {
            let n = run(b, i + 11, isWordCharacter)
            if n >= 82 { return (.githubToken, "'github_pat_' fine-grained token") }
        }
        if has(b, i, "glpat-"), startsToken(b, i, isBase64URL) {
            let n = run(b, i + 6, isBase64URL)
            if n >= 20, entropy(b, i + 6, n) > 3.0 { return (.gitlabToken, "'glpat-' personal access token") }
        }
        return nil
    }

    /// `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`.
    private static func isPrivateKeyHeader(_ b: Bytes, _ start: Int) -> Bool {
        var end = start
        while end < b.count, end - start < 60, b[end] != ascii("-") { end += 1 }
        guard has(b, end, "-----") else { return false }
        let label = String(decoding: b[start..<end], as: UTF8.self)
        return label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK")
    }

    /// `header.payload.signature` in base64url, with a header that decodes to a JSON object holding `alg`.
    private static func isJWT(_ b: Bytes, _ start: Int) -> Bool {
        let h = run(b, start, isBase64URL)
        guard h >= 10, start + h < b.count, b[start + h] == ascii(".") else { return false }
        let p = run(b, start + h + 1, isBase64URL)
        guard p >= 10, start + h + 1 + p < b.count, b[start + h + 1 + p] == ascii(".") else { return false }
        guard let header = base64URLDecode(b[start..<(start + h)]),
              let value = try? PropertyValue.parse(json: String(decoding: header, as: UTF8.self)) else { return false }
        return value["alg"]?.string != nil
    }

    static func base64URLDecode(_ part: Slice<Bytes>) -> [UInt8]? {
        var text = String(decoding: part, as: UTF8.self).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { [UInt8]($0) }
    }

    /// `scheme://user:password@host` with a real-looking password (not `${VAR}`, `$VAR`, `<password>`, `****`, …).
    private static func hasCredentials(_ b: Bytes, _ colon: Int) -> Bool {
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
        guard text.utf8.count == 40 else { return false }
        let b = Array(text.utf8)
        guard b.allSatisfy({ isAlnum($0) || $0 == ascii("/") || $0 == ascii("+") }) else { return false }
        guard !text.hasSuffix("EXAMPLEKEY") else { return false }
        return SecretDetector.shannonEntropy(b) > 4.0
    }

    // MARK: - Byte helpers

    static func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isUpper(c) || isLower(c) }
    static func isLowerHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) }
    static func isBase64URL(_ c: UInt8) -> Bool { isAlnum(c) || c == ascii("-") || c == ascii("_") }
    static func isBase64(_ c: UInt8) -> Bool { isAlnum(c) || c == ascii("+") || c == ascii("/") || c == ascii("=") }
    static func isWordCharacter(_ c: UInt8) -> Bool { isAlnum(c) || c == ascii("_") }
    static func isSlackCharacter(_ c: UInt8) -> Bool { isAlnum(c) || c == ascii("-") }

    /// Whether a token made of `inToken` characters can start at `i`: the byte before cannot belong to it. A run
    /// of such characters is then examined once, from its start, never again from each prefix-shaped place inside
    /// it (`glpat-glpat-glpat-…`, `eyJ-eyJ-…`), which keeps the scan linear on hostile strings; a real token never
    /// continues a longer run of its own characters.
    static func startsToken(_ b: Bytes, _ i: Int, _ inToken: (UInt8) -> Bool) -> Bool { i == 0 || !inToken(b[i - 1]) }

    static func has(_ b: Bytes, _ i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= b.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for k in 0..<n where b[i + k] != buffer[k] { return false }
            return true
        }
    }

    static func run(_ b: Bytes, _ start: Int, _ predicate: (UInt8) -> Bool) -> Int {
        var i = start
        while i < b.count, predicate(b[i]) { i += 1 }
        return max(0, i - start)
    }

    static func boundaryBefore(_ b: Bytes, _ i: Int) -> Bool { i == 0 || !isAlnum(b[i - 1]) }
    static func boundaryAfter(_ b: Bytes, _ i: Int) -> Bool { i >= b.count || !isAlnum(b[i]) }

    static func entropy(_ b: Bytes, _ start: Int, _ count: Int) -> Double {
        SecretDetector.shannonEntropy(Array(b[start..<min(b.count, start + count)]))
    }
}
