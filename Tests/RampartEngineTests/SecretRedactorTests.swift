import RampartInputs
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

    @Test func secretsAtTheEdgesAndSideBySideAreRedacted() {
        let r = SecretRedactor(secrets: ["abcd", "wxyz-1"])
        #expect(r.redact("abcd") == "[secret]")
        #expect(r.redact("abcdwxyz-1") == "[secret][secret]")
        #expect(r.redact("abcwxyz-1") == "abc[secret]")
        // A prefix of a secret that is not the secret does not stop the search for the one after it.
        #expect(r.redact("wxyz-2 abcd") == "wxyz-2 [secret]")
    }

    /// Random texts over a small alphabet, full of near misses, against a plain search at every position.
    @Test func agreesWithAPlainSearchOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        func random(_ length: Int) -> String { Self.randomText(over: "abcd-é", length, &generator) }
        for _ in 0..<200 {
            let secrets = (0..<Int.random(in: 1...6, using: &generator)).map { _ in random(Int.random(in: 4...7, using: &generator)) }
            let redactor = SecretRedactor(secrets: secrets)
            let text = random(Int.random(in: 0...60, using: &generator))
            #expect(redactor.redact(text) == Self.plainRedaction(text, redactor.secrets), "\(secrets) in \(text)")
        }
    }

    /// Secrets that all start with one or two bytes (as a stack's ciphertexts do) are searched for by those bytes,
    /// sixteen at a time: found wherever they fall against the blocks, at the very end, and next to the lead byte
    /// where it starts no secret.
    @Test func secretsStartingAlikeAgreeWithAPlainSearchWhereverTheyFall() {
        var generator = SystemRandomNumberGenerator()
        func random(_ length: Int) -> String { Self.randomText(over: "v1:ab-é", length, &generator) }
        for leads in [["v"], ["v", "é"]] {
            for _ in 0..<300 {
                let secrets = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                    leads.randomElement(using: &generator)! + random(Int.random(in: 3...9, using: &generator))
                }
                let redactor = SecretRedactor(secrets: secrets)
                var text = random(Int.random(in: 0...70, using: &generator))
                if Bool.random(using: &generator) { text += secrets.randomElement(using: &generator)! }
                #expect(redactor.redact(text) == Self.plainRedaction(text, redactor.secrets), "\(secrets) in \(text)")
            }
        }
        let ciphertext = "v1:5487cbce47b386d8:834c3bc0bee1c071"
        let redactor = SecretRedactor(secrets: [ciphertext])
        for offset in 0..<40 {
            let text = String(repeating: "v", count: offset) + ciphertext
            #expect(redactor.redact(text) == String(repeating: "v", count: offset) + "[secret]", "at \(offset)")
        }
    }

    /// `length` characters drawn from `alphabet`.
    static func randomText(over alphabet: String, _ length: Int, _ generator: inout SystemRandomNumberGenerator) -> String {
        let scalars = Array(alphabet.unicodeScalars)
        var text = String.UnicodeScalarView()
        for _ in 0..<length { text.append(scalars.randomElement(using: &generator)!) }
        return String(text)
    }

    /// At each position the longest secret starting there (`secrets` is longest first), else the byte.
    static func plainRedaction(_ text: String, _ secrets: [String]) -> String {
        let bytes = Array(text.utf8), patterns = secrets.map { Array($0.utf8) }
        var out: [UInt8] = [], i = 0
        while i < bytes.count {
            if let hit = patterns.first(where: { i + $0.count <= bytes.count && Array(bytes[i..<(i + $0.count)]) == $0 }) {
                out += Array("[secret]".utf8)
                i += hit.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func scalesToManySecrets() {
        let secrets = (0..<5000).map { "secret-value-\($0)-xyz" }
        let r = SecretRedactor(secrets: secrets)
        #expect(r.redact("leak secret-value-4321-xyz and secret-value-7-xyz") == "leak [secret] and [secret]")
    }

    /// A stack's secrets gathered on several workers, a slice of its signature objects each: the same secrets as
    /// one worker finds, ciphertexts, plaintexts and the scalars inside JSON plaintexts, and nothing from an object
    /// that is not a secret.
    @Test func aStacksSecretsAreTheSameGatheredOnSeveralWorkers() throws {
        let sig = "\"4dabf18193072939515e22adb298388d\""
        let resources = (0..<3_000).map { k -> String in
            let secret = k % 3 == 0
                ? #"{\#(sig): "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "cipher-\#(k)-text"}"#
                : #"{\#(sig): "1b47061264138c4ac30d75fd1eb44270", "plaintext": "{\"user\":\"user-\#(k)\",\"pin\":\#(1000 + k)}"}"#
            let asset = #"{\#(sig): "c44067f5952c0a294b673a41bacd8c17", "text": "not-a-secret-\#(k)"}"#
            return #"{"urn": "urn:pulumi:prod::p::test:index:Thing::t\#(k)", "type": "test:index:Thing", "custom": true, "outputs": {"s": \#(secret), "a": \#(asset)}}"#
        }
        let json = #"{"version": 3, "deployment": {"resources": ["# + resources.joined(separator: ",") + "]}}"
        let stack = try InputReader().read(bytes: Array(json.utf8), source: InputSource(path: "state.json"))
        let one = SecretRedactor(stack: stack, workers: 1)
        #expect(one.secrets.contains("cipher-300-text"))
        #expect(one.secrets.contains("user-301"))
        #expect(one.secrets.contains("1302"))
        #expect(!one.secrets.contains { $0.hasPrefix("not-a-secret") })
        // 1,000 ciphertexts, and 2,000 plaintexts with their user and pin each.
        #expect(one.secrets.count == 7_000)
        for workers in [2, 3, 8] {
            #expect(SecretRedactor(stack: stack, workers: workers).secrets == one.secrets)
        }
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
