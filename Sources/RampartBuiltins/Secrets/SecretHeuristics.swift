import Foundation

/// Values that are not secrets even under a secret-looking name. Decisions (the spec left them open):
/// - placeholders are skipped: `changeme`, `change-me`, `replaceme`, `placeholder`, `example`, `dummy`, `todo`,
///   `tbd`, `fixme`, `redacted`, `none`, `not-a-secret`, a bare `password`/`secret`/`token`, `<…>`, `your-…`, one
///   repeated character (`xxx`, `****`, `xxxx-xxxx`), template slots (`__DB_PASSWORD__`, `%%TOKEN%%`, `<%= … %>`) and
///   prose standing in for the value (`Your MailGun or domain provider key`; see `isProsePlaceholder`). A dummy value committed on purpose is not a leak, and flagging it teaches people to
///   ignore the rule. `test`/`admin`/`hunter2` are *not* placeholders: they are weak real passwords.
/// - references are skipped: `${…}`, `$VAR`, `{{ … }}`, `${{ secrets.X }}`, `%VAR%`, `@VAR@`, `fn::…`, `arn:…`,
///   secret-manager URIs (`op://`, `vault:`, `sm://`, `projects/…/secrets/…`).
/// - URLs and file paths without credentials, public keys and certificates, booleans, numbers under 8 digits.
enum SecretHeuristics {
    static let placeholderWords: Set<String> = [
        "changeme", "changeit", "replaceme", "placeholder", "example", "sample", "dummy", "todo", "tbd", "fixme",
        "redacted", "hidden", "notset", "unset", "none", "null", "nil", "undefined", "empty", "password", "passwd",
        "secret", "token", "apikey", "yourpassword", "yoursecret", "yourtoken", "yourapikey", "yourkey", "xxx", "na",
        "notapplicable", "insertpasswordhere", "insertkeyhere", "secrethere", "tokenhere", "passwordhere", "fake",
        "notasecret", "notsecret", "nosecret", "notreal", "notarealpassword", "notarealsecret",
    ]

    /// Settings words: `httpTokens: required`, `passwordAuthentication: disabled`.
    static let literalNonSecrets: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "null", "none", "nil", "~", "undefined", "required", "optional",
        "enabled", "disabled", "enable", "disable", "auto", "automatic", "default", "allow", "deny", "always", "never",
        "strict", "lax", "manual", "generated", "random", "inherit",
    ]

    /// Lower-cased, letters and digits only.
    static func squashed(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }))
    }

    static func isPlaceholderWord(_ text: String) -> Bool { isPlaceholder(squashed: squashed(text)) }

    /// `isPlaceholderWord` of a text already `squashed`.
    private static func isPlaceholder(squashed s: String) -> Bool {
        if placeholderWords.contains(s) { return true }
        return s.containsBytes("changeme") || s.containsBytes("placeholder") || s.containsBytes("example") || s.containsBytes("replaceme")
            || s.hasPrefix("your") && s.count <= 24 || s.hasPrefix("insert") || s.hasPrefix("dummy") || s.hasPrefix("fake")
    }

    /// Words that open an instruction to the reader rather than a value (`Your MailGun API key`, `enter token here`).
    static let proseOpeners: Set<String> = [
        "your", "my", "the", "a", "an", "enter", "insert", "put", "paste", "add", "replace", "set", "fill", "type",
        "provide", "use", "with", "here", "see", "get", "generate", "update",
    ]
    /// Words that name what should go there (`… provider key here`).
    static let proseNouns: Set<String> = [
        "key", "token", "password", "secret", "here", "value", "api", "credential", "credentials", "passphrase", "id",
    ]

    /// Prose standing in for a value: three or more space-separated words of letters only, opening with an
    /// instruction word or naming the kind of secret (`Your MailGun or domain provider key`, `put the token here`).
    /// A passphrase of plain words (`correct horse battery staple`) does neither and stays a finding.
    static func isProsePlaceholder(_ text: String) -> Bool {
        // Three words need two separators: most values have none, and splitting costs thousands of instructions.
        guard text.utf8.lazy.filter({ $0 == 0x20 || $0 == 0x09 }).count >= 2 else { return false }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
        guard words.count >= 3, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isLetter) }) else { return false }
        return proseOpeners.contains(words[0]) || words.contains(where: proseNouns.contains)
    }

    /// A value that reads as words: two or more runs of letters (digits allowed only as a short version-like
    /// run) joined by `-`, `_`, `.` or spaces, each run in one case or capitalised (`local-dev-apisix-admin-key`,
    /// `Blue_Green.Deploy`). Generated keys mix cases and digits inside their runs; words do not.
    static func isWordPhrase(_ text: String) -> Bool {
        let runs = text.split(whereSeparator: { "-_. /".contains($0) })
        guard runs.count >= 2 else { return false }
        for run in runs {
            if run.allSatisfy(\.isNumber) { if run.count > 4 { return false }; continue }
            guard run.allSatisfy(\.isLetter) else { return false }
            let rest = run.dropFirst()
            guard rest.allSatisfy(\.isLowercase) || run.allSatisfy(\.isUppercase) else { return false }
        }
        return true
    }

    /// `token:`, `password:`, `client-key-data:` (YAML) or their JSON forms inside a kubeconfig.
    static func kubeconfigHasCredentials(_ text: String) -> Bool {
        ["token:", "\"token\"", "password:", "\"password\"", "client-key-data", "client-key:"].contains { text.containsBytes($0) }
    }

    /// `scheme://` at the start of a lower-cased text: a letter, then letters, digits, `+`, `.` or `-`.
    static func startsWithURLScheme(_ lower: String) -> Bool {
        let bytes = lower.utf8
        guard let first = bytes.first, first >= 0x61 && first <= 0x7A else { return false }
        var rest = bytes.dropFirst()
        while let b = rest.first, (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2E || b == 0x2D {
            rest = rest.dropFirst()
        }
        return rest.starts(with: "://".utf8)
    }

    static func isKnownNonSecret(_ raw: String) -> Bool {
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else { return true }
        let lower = text.lowercased()
        if literalNonSecrets.contains(lower) { return true }
        if text.allSatisfy(\.isNumber) && text.count < 8 { return true }
        if let first = text.first, text.allSatisfy({ $0 == first }) { return true }
        // `xxxx-xxxx-xxxx`, `****_****`: one character repeated between separators.
        let squashedText = squashed(text)
        if let first = squashedText.first, squashedText.count >= 3, squashedText.allSatisfy({ $0 == first }) { return true }
        if isPlaceholder(squashed: squashedText) || isProsePlaceholder(text) { return true }
        if text.hasPrefix("<") && text.hasSuffix(">") { return true }
        // Template placeholders: `__DB_PASSWORD__`, `%%TOKEN%%`, ERB `<%= … %>`.
        if text.count > 4 && ((text.hasPrefix("__") && text.hasSuffix("__")) || (text.hasPrefix("%%") && text.hasSuffix("%%"))) { return true }
        if text.containsBytes("<%") && text.containsBytes("%>") { return true }
        if text.hasPrefix("[") && text.hasSuffix("]") && !text.utf8.contains(UInt8(ascii: ",")) { return true }
        // References to values kept elsewhere.
        if text.hasPrefix("$") || text.containsBytes("${") || (text.containsBytes("{{") && text.containsBytes("}}")) { return true }
        if text.count > 2 && ((text.hasPrefix("%") && text.hasSuffix("%")) || (text.hasPrefix("@") && text.hasSuffix("@"))) { return true }
        for prefix in ["fn::", "arn:", "op://", "vault:", "sm://", "secret://", "awskms://", "gcpkms://", "azurekeyvault://", "hashivault://", "projects/"] where lower.hasPrefix(prefix) {
            return true
        }
        // Paths and credential-free URLs (URLs with a password were caught as a known format before this).
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~/") { return true }
        if startsWithURLScheme(lower) { return true }
        if !text.utf8.contains(UInt8(ascii: " ")), [".json", ".pem", ".key", ".p12", ".pfx", ".crt", ".yaml", ".yml", ".txt", ".env"].contains(where: { lower.hasSuffix($0) }),
           text.count < 120 { return true }
        // Public material.
        for prefix in ["ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "-----begin public key", "-----begin certificate",
                       "-----begin rsa public key", "-----begin pgp public key", "-----begin openssh public key"] where lower.hasPrefix(prefix) {
            return true
        }
        return false
    }
}
