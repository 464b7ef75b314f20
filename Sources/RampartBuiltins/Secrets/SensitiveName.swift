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
        "keyname", "policy", "role", "user", "username", "email", "output", "outputs", "parameter", "param",
    ]

    static func normalise(_ name: String) -> String {
        let afterNamespace = name.split(separator: ":").last.map(String.init) ?? name
        return String(String.UnicodeScalarView(afterNamespace.lowercased().unicodeScalars.filter {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9")
        }))
    }

    public static func classify(_ name: String) -> SensitiveName {
        let n = normalise(name)
        // Public by design: publishable keys, reCAPTCHA site keys.
        guard !n.isEmpty, !n.contains("public"), !n.contains("publishable"), !n.hasSuffix("sitekey") else { return .none }
        var bestEnd = -1, bestStart = 0
        for word in strongWords {
            var searchStart = n.startIndex
            while let range = n.range(of: word, range: searchStart..<n.endIndex) {
                let end = n.distance(from: n.startIndex, to: range.upperBound)
                let start = n.distance(from: n.startIndex, to: range.lowerBound)
                if end > bestEnd || (end == bestEnd && start < bestStart) { bestEnd = end; bestStart = start }
                searchStart = n.index(after: range.lowerBound)
            }
        }
        if bestEnd >= 0 {
            let suffix = String(n.dropFirst(bestEnd))
            // `secretkey` and friends end in "key": only a trailing metadata word that is not part of the match counts.
            if suffix.isEmpty || !metadataSuffixes.contains(where: { suffix.hasSuffix($0) }) { return .strong }
            return .none
        }
        if n.hasSuffix("key") || n.hasSuffix("keys") || n.hasSuffix("auth") { return .weak }
        return .none
    }

    /// Names that mention AWS (`aws_secret`, `AWS_KEY`), where a 40-character base64 value is an AWS secret key.
    static func mentionsAWS(_ name: String) -> Bool { name.lowercased().contains("aws") }
}
