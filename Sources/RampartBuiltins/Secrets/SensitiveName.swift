/// How strongly a key name says its value is secret. Names are compared case- and separator-insensitively, after
/// the config namespace (`myproj:dbPassword` → `dbpassword`).
public enum SensitiveName: Sendable, Hashable {
    /// `password`, `clientSecret`, `api_key`, `DB_TOKEN`, …: any non-placeholder plaintext value is a finding.
    case strong
    /// `encryptionKey`, `sshKey`, `basicAuth`, …: a finding only when the value is also high-entropy.
    case weak
    case none

    /// Words that make a name secret. The match that ends last decides; what follows it must not turn the name
    /// into metadata about the secret (`secretName`, `passwordLength`, `tokenUrl`, `accessKeyId`).
    static let strongWords: [String] = [
        "password", "passwd", "passphrase", "pwd", "secret", "secrets", "token", "apikey", "accesskey", "secretkey",
        "privatekey", "clientsecret", "connectionstring", "connstr", "credential", "credentials", "creds", "authkey",
        "signingkey", "masterkey", "accountkey", "sharedkey", "licensekey", "kubeconfig", "sessionkey", "encryptionkey",
        "webhooksecret", "apisecret", "privatekeydata", "clientkeydata",
    ]

    /// Suffixes that describe a secret rather than hold it.
    static let metadataSuffixes: [String] = [
        "name", "names", "id", "ids", "arn", "arns", "ref", "reference", "version", "versions", "path", "file", "filename",
        "type", "length", "len", "count", "enabled", "enable", "provider", "providers", "url", "uri", "endpoint", "expiry",
        "expiration", "expires", "expiresat", "ttl", "header", "field", "policy", "rotation", "region", "location", "manager",
        "store", "vault", "template", "format", "prefix", "suffix", "source", "hash", "hint", "reset", "required",
        "lifetime", "duration", "timeout", "interval", "age", "days", "mode", "kind", "scope", "scopes", "audience",
        "issuer", "usage", "description", "label", "labels", "selector", "mount", "volume", "env", "key", "keyid",
        "keyname", "policy", "role", "user", "username", "email", "output", "outputs", "parameter", "param", "spec",
        "specification", "algorithm", "size", "bits", "state", "status", "origin", "usage",
    ]

    /// Calls `body` with the lower-cased letters and digits of the name after its namespace (`myproj:DB_Password` →
    /// `dbpassword`), in a temporary buffer (on the stack for names of usual length): the secret walk classifies
    /// every object key of every resource.
    static func withNormalised<R>(_ utf8: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var start = 0
        for i in utf8.indices where utf8[i] == UInt8(ascii: ":") { start = i + 1 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count - start) { out in
            var n = 0
            for i in start..<utf8.count {
                let b = utf8[i]
                if b >= 0x41 && b <= 0x5A { out[n] = b &+ 0x20; n += 1 }
                else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out[n] = b; n += 1 }
            }
            return body(UnsafeBufferPointer(rebasing: out[0..<n]))
        }
    }

    /// The letters and digits a normalised text holds, one bit each (`a`–`z`, `0`–`9`): a word can only occur in a
    /// name whose set holds all of its own, which rules out most words for most names at once.
    static func characterSet(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var set: UInt64 = 0
        for b in bytes { set |= 1 &<< UInt64(b >= 0x61 ? b &- 0x61 : 26 &+ (b &- 0x30)) }
        return set
    }

    /// Normalised words in one flat buffer with each word's character set, searched without touching a word whose
    /// characters the name lacks. The buffers are allocated once for the life of the process and never written
    /// again (hence `@unchecked Sendable`): reading them costs no reference counting in the per-key loop.
    struct WordList: @unchecked Sendable {
        struct Bound {
            var start: Int
            var end: Int
            var set: UInt64
        }
        private let bytes: UnsafeBufferPointer<UInt8>
        private let bounds: UnsafeBufferPointer<Bound>

        init(_ words: [String]) {
            var bytes: [UInt8] = [], bounds: [Bound] = []
            for word in words {
                let utf8 = Array(word.utf8)
                let set = utf8.withUnsafeBufferPointer { SensitiveName.characterSet($0) }
                bounds.append(Bound(start: bytes.count, end: bytes.count + utf8.count, set: set))
                bytes += utf8
            }
            let storedBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = storedBytes.initialize(from: bytes)
            let storedBounds = UnsafeMutableBufferPointer<Bound>.allocate(capacity: bounds.count)
            _ = storedBounds.initialize(from: bounds)
            self.bytes = UnsafeBufferPointer(storedBytes)
            self.bounds = UnsafeBufferPointer(storedBounds)
        }

        private func word(_ bound: Bound) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[bound.start..<bound.end]) }

        /// The end of the occurrence of a word that ends last in `text` (whose character set is `set`), or -1.
        func lastEnd(in text: UnsafeBufferPointer<UInt8>, set: UInt64) -> Int {
            var best = -1
            for bound in bounds where set & bound.set == bound.set && bound.end - bound.start <= text.count {
                let word = word(bound)
                var at = text.count - word.count
                while at > best - word.count, at >= 0 {
                    if SensitiveName.equal(text, at: at, word) { best = at + word.count; break }
                    at -= 1
                }
            }
            return best
        }

        /// Whether any word occurs in `text`.
        func occurs(in text: UnsafeBufferPointer<UInt8>, set: UInt64) -> Bool { lastEnd(in: text, set: set) >= 0 }

        /// Whether `text` ends with one of the words.
        func isSuffix(of text: UnsafeBufferPointer<UInt8>) -> Bool {
            bounds.contains { bound in
                bound.end - bound.start <= text.count && SensitiveName.equal(text, at: text.count - (bound.end - bound.start), word(bound))
            }
        }
    }

    /// The word lists `classify` uses, built once.
    private struct Vocabulary: Sendable {
        let strong = WordList(strongWords)
        let metadataSuffixes = WordList(SensitiveName.metadataSuffixes)
        let publicMarkers = WordList(["public", "publishable"])
        let siteKey = WordList(["sitekey"])
        let weakSuffixes = WordList(["key", "keys", "auth"])
        let kubeconfig = WordList(["kubeconfig"])
    }
    private static let vocabulary = Vocabulary()

    public static func classify(_ name: String) -> SensitiveName {
        var name = name
        return name.withUTF8 { classify(utf8: $0) }
    }

    /// `classify` over a name's UTF-8 bytes (an object key read in place), without allocating.
    public static func classify(utf8 name: UnsafeBufferPointer<UInt8>) -> SensitiveName {
        let words = vocabulary
        return withNormalised(name) { n in
            let set = characterSet(n)
            // Public by design: publishable keys, reCAPTCHA site keys.
            guard !n.isEmpty, !words.publicMarkers.occurs(in: n, set: set), !words.siteKey.isSuffix(of: n) else { return .none }
            // The strong word that ends last decides; what follows it must not be metadata about the secret.
            let end = words.strong.lastEnd(in: n, set: set)
            if end >= 0 {
                let suffix = UnsafeBufferPointer(rebasing: n[end...])
                return suffix.isEmpty || !words.metadataSuffixes.isSuffix(of: suffix) ? .strong : .none
            }
            return words.weakSuffixes.isSuffix(of: n) ? .weak : .none
        }
    }

    fileprivate static func equal(_ text: UnsafeBufferPointer<UInt8>, at start: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<word.count where text[start &+ k] != word[k] { return false }
        return true
    }

    static func isKubeconfig(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { withNormalised($0) { vocabulary.kubeconfig.occurs(in: $0, set: characterSet($0)) } }
    }

    /// Names that mention AWS (`aws_secret`, `AWS_KEY`), where a 40-character base64 value is an AWS secret key.
    static func mentionsAWS(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { mentionsAWS(utf8: $0) }
    }

    /// `mentionsAWS` over UTF-8 bytes: `aws` in any case of its ASCII letters.
    static func mentionsAWS(utf8 name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count >= 3 else { return false }
        for i in 0...(name.count - 3) where name[i] | 0x20 == 0x61 && name[i + 1] | 0x20 == 0x77 && name[i + 2] | 0x20 == 0x73 {
            return true
        }
        return false
    }
}
