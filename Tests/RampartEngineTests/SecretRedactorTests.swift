import RampartPolicy
import Testing

@Suite struct SecretRedactorTests {
    @Test func replacesEveryOccurrenceOfEverySecret() {
        let r = SecretRedactor(secrets: ["hunter2-pass", "s3cr3t"])
        #expect(r.redact("a hunter2-pass b s3cr3t c hunter2-pass") == "a [secret] b [secret] c [secret]")
    }

    @Test func longestSecretWinsWhereTheyOverlap() {
        let r = SecretRedactor(secrets: ["abcd", "abcdefgh"])
        #expect(r.redact("xabcdefghx abcdx") == "x[secret]x [secret]x")
    }

    @Test func leavesTextWithoutSecretsUnchanged() {
        let r = SecretRedactor(secrets: ["topsecret"])
        #expect(r.redact("nothing here: topsecre") == "nothing here: topsecre")
        #expect(r.redact("") == "")
    }

    @Test func ignoresSecretsTooShortToRedactSafely() {
        let r = SecretRedactor(secrets: ["abc", "true"])
        #expect(r.redact("abc is true") == "abc is [secret]")
    }

    @Test func handlesNonASCIISecretsAndText() {
        let r = SecretRedactor(secrets: ["pässwörd-ü"])
        #expect(r.redact("é pässwörd-ü é") == "é [secret] é")
    }

    @Test func scalesToManySecrets() {
        let secrets = (0..<5000).map { "secret-value-\($0)-xyz" }
        let r = SecretRedactor(secrets: secrets)
        #expect(r.redact("leak secret-value-4321-xyz and secret-value-7-xyz") == "leak [secret] and [secret]")
    }

    @Test func secretsAreListedOnceLongestFirstWhateverTheOrderTheyWereFoundIn() {
        var r = SecretRedactor(secrets: ["bbbb-1", "aaaa", "cccccccc", "bbbb-1", "zzzz", "abc"])
        r.add(["aaaa", "dddd-22"])
        #expect(r.secrets == ["cccccccc", "dddd-22", "bbbb-1", "zzzz", "aaaa"])
        #expect(SecretRedactor(secrets: r.secrets.reversed()).secrets == r.secrets)
        #expect(SecretRedactor(secrets: ["abc"]).isEmpty)
    }

    /// Matching compares bytes, so two spellings of one text (composed and decomposed accents) are two secrets:
    /// each is removed where it appears, though Swift's `String` holds them equal.
    @Test func canonicallyEquivalentSpellingsAreEachRedacted() {
        let composed = "caf\u{E9}-secret", decomposed = "cafe\u{301}-secret"
        let r = SecretRedactor(secrets: [composed, decomposed])
        #expect(r.secrets.count == 2)
        #expect(r.redact("a \(composed) b \(decomposed) c") == "a [secret] b [secret] c")
    }
}
