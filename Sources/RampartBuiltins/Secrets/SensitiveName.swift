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

    /// Lower-cased letters and digits of the name after its namespace (`myproj:DB_Password` → `dbpassword`).
    static func normalise(_ name: String) -> [UInt8] {
        var bytes = Array(name.utf8)[...]
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) { bytes = bytes[(colon + 1)...] }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x41 && b <= 0x5A { out.append(b + 0x20) }
            else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out.append(b) }
        }
        return out
    }

    private static let strongWordBytes = strongWords.map { Array($0.utf8) }
    private static let metadataSuffixBytes = metadataSuffixes.map { Array($0.utf8) }
    private static let publicMarkers = ["public", "publishable"].map { Array($0.utf8) }
    private static let siteKey = Array("sitekey".utf8)
    private static let weakSuffixes = ["key", "keys", "auth"].map { Array($0.utf8) }

    public static func classify(_ name: String) -> SensitiveName {
        let n = normalise(name)
        // Public by design: publishable keys, reCAPTCHA site keys.
        guard !n.isEmpty, !publicMarkers.contains(where: { contains(n, $0) }), !hasSuffix(n, siteKey) else { return .none }
        var bestEnd = -1
        for word in strongWordBytes where word.count <= n.count {
            // The last occurrence of this word.
            var start = n.count - word.count
            while start >= 0 {
                if n[start..<(start + word.count)].elementsEqual(word) { bestEnd = max(bestEnd, start + word.count); break }
                start -= 1
            }
        }
        if bestEnd >= 0 {
            let suffix = n[bestEnd...]
            if suffix.isEmpty || !metadataSuffixBytes.contains(where: { hasSuffix(suffix, $0) }) { return .strong }
            return .none
        }
        if weakSuffixes.contains(where: { hasSuffix(n, $0) }) { return .weak }
        return .none
    }

    private static func contains(_ text: [UInt8], _ word: [UInt8]) -> Bool {
        guard word.count <= text.count else { return false }
        for start in 0...(text.count - word.count) where text[start..<(start + word.count)].elementsEqual(word) { return true }
        return false
    }

    private static func hasSuffix(_ text: ArraySlice<UInt8>, _ suffix: [UInt8]) -> Bool {
        text.count >= suffix.count && text[(text.endIndex - suffix.count)...].elementsEqual(suffix)
    }

    private static func hasSuffix(_ text: [UInt8], _ suffix: [UInt8]) -> Bool { hasSuffix(text[...], suffix) }

    static func isKubeconfig(_ name: String) -> Bool { contains(normalise(name), Array("kubeconfig".utf8)) }

    /// Names that mention AWS (`aws_secret`, `AWS_KEY`), where a 40-character base64 value is an AWS secret key.
    static func mentionsAWS(_ name: String) -> Bool { name.lowercased().contains("aws") }
}
