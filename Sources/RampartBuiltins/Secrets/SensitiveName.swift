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
    /// name whose set holds all of its own, which rules out most of the strong words for most names at once.
    static func characterSet<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var set: UInt64 = 0
        for b in bytes { set |= 1 &<< UInt64(b >= 0x61 ? b &- 0x61 : 26 &+ (b &- 0x30)) }
        return set
    }

    private static let strongWordBytes = strongWords.map { Array($0.utf8) }
    private static let strongWordSets = strongWordBytes.map { characterSet($0) }
    private static let metadataSuffixBytes = metadataSuffixes.map { Array($0.utf8) }
    private static let publicMarkers = ["public", "publishable"].map { Array($0.utf8) }
    private static let siteKey = Array("sitekey".utf8)
    private static let weakSuffixes = ["key", "keys", "auth"].map { Array($0.utf8) }

    public static func classify(_ name: String) -> SensitiveName {
        var name = name
        return name.withUTF8 { classify(utf8: $0) }
    }

    /// `classify` over a name's UTF-8 bytes (an object key read in place), without allocating.
    public static func classify(utf8 name: UnsafeBufferPointer<UInt8>) -> SensitiveName {
        withNormalised(name) { n in
            // Public by design: publishable keys, reCAPTCHA site keys.
            guard !n.isEmpty, !publicMarkers.contains(where: { contains(n, $0) }), !hasSuffix(n, siteKey) else { return .none }
            let set = characterSet(n)
            var bestEnd = -1
            for (w, word) in strongWordBytes.enumerated() where word.count <= n.count && set & strongWordSets[w] == strongWordSets[w] {
                // The last occurrence of this word.
                var start = n.count - word.count
                while start >= 0 {
                    if equal(n, at: start, word) { bestEnd = max(bestEnd, start + word.count); break }
                    start -= 1
                }
            }
            if bestEnd >= 0 {
                let suffix = UnsafeBufferPointer(rebasing: n[bestEnd...])
                if suffix.isEmpty || !metadataSuffixBytes.contains(where: { hasSuffix(suffix, $0) }) { return .strong }
                return .none
            }
            if weakSuffixes.contains(where: { hasSuffix(n, $0) }) { return .weak }
            return .none
        }
    }

    private static func equal(_ text: UnsafeBufferPointer<UInt8>, at start: Int, _ word: [UInt8]) -> Bool {
        for k in word.indices where text[start + k] != word[k] { return false }
        return true
    }

    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: [UInt8]) -> Bool {
        guard word.count <= text.count else { return false }
        for start in 0...(text.count - word.count) where equal(text, at: start, word) { return true }
        return false
    }

    private static func hasSuffix(_ text: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        text.count >= suffix.count && equal(text, at: text.count - suffix.count, suffix)
    }

    static func isKubeconfig(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { withNormalised($0) { contains($0, kubeconfigBytes) } }
    }
    private static let kubeconfigBytes = Array("kubeconfig".utf8)

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
