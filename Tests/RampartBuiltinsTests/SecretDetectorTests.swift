import Foundation
@testable import RampartBuiltins
import RampartModel
import Testing

@Suite struct SecretDetectorTests {
    let detector = SecretDetector()

    static let knownFormats: [(String, SecretKind)] = [
        (Fake.awsAccessKeyID, .awsAccessKeyID), (Fake.awsSessionKeyID, .awsAccessKeyID),
        (Fake.pulumiToken, .pulumiAccessToken), (Fake.githubPAT, .githubToken), (Fake.githubApp, .githubToken),
        (Fake.githubFineGrained, .githubToken), (Fake.gitlabPAT, .gitlabToken), (Fake.slackBot, .slackToken),
        (Fake.stripeLive, .stripeSecretKey), (Fake.stripeRestricted, .stripeSecretKey), (Fake.googleAPIKey, .googleAPIKey),
        (Fake.rsaPrivateKey, .privateKey), (Fake.opensshPrivateKey, .privateKey), (Fake.jwt, .jwt),
        (Fake.azureConnectionString, .azureStorageConnectionString), (Fake.gcpServiceAccount, .gcpServiceAccountKey),
        (Fake.databaseURL, .credentialsInURL), (Fake.mongoURL, .credentialsInURL),
    ]

    @Test(arguments: knownFormats)
    func findsKnownFormatUnderAnyName(value: String, kind: SecretKind) {
        #expect(detector.detect(value, name: "description")?.kind == kind)
        #expect(detector.detect(value)?.kind == kind)
    }

    @Test(arguments: knownFormats)
    func findsKnownFormatEmbeddedInText(value: String, kind: SecretKind) {
        #expect(detector.detect("export X=\"" + value + "\" # deploy", name: nil)?.kind == kind)
    }

    static let lookalikes: [String] = [
        "AK" + "IAIOSFODNN7EXAMPLE",                    // AWS's documented example key
        "AK" + "IA" + "ujzde8gxd6ncf10e",               // lower case is not an access key id
        "AK" + "IA" + "UJZDE8GX",                       // too short
        "AK" + "IA" + "AAAAAAAAAAAAAAAA",               // no entropy
        "pul" + "-" + "923d5a4fd12aabfe228f219e9cb0eb53f16947c",   // 39 hex
        "pul" + "-" + "923D5A4FD12AABFE228F219E9CB0EB53F16947CC",  // upper-case hex
        "gh" + "p_" + "63FfkCzJr4i0B3Jr",               // too short
        "gh" + "x_" + "63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1Ll",
        "gl" + "pat-" + "short",
        "xo" + "xb-" + "not-a-token",
        "pk" + "_live_" + "Z7Uw9xfogoEmvnEN5N1aE6Pw",   // publishable keys are public
        "AI" + "za" + "kpXz9w3QlY7Zkuv",                // too short
        "-----BEGIN " + "PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----",
        "-----BEGIN " + "CERTIFICATE-----\nMIIDdzCCAl+g\n-----END CERTIFICATE-----",
        "eyJ0eXAiOiJKV1QifQ" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "abc",   // header without alg
        "Account" + "Key=<your-account-key>",
        #"{"type": "authorized_user", "client_id": "abc"}"#,
        "postgres://shop:${DB_PASSWORD}@db.internal/shop",
        "postgres://shop@db.internal/shop",
        "postgres://shop:password@localhost/shop",
        "https://3443df79f39db55f5b60c6d9f41ae684@o450.ingest.sentry.io/450",
        "arn:aws:iam::123456789012:role/deploy",
        "i-0abc123def4567890",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci@shop",
    ]

    @Test(arguments: lookalikes)
    func ignoresLookalikesUnderNeutralNames(value: String) {
        #expect(detector.detect(value, name: "value") == nil)
    }

    @Test func findsAWSSecretKeyOnlyNextToAnAccessKeyOrUnderAName() {
        #expect(detector.detect(Fake.awsSecretKey, name: "value") == nil)
        #expect(detector.detect(Fake.awsSecretKey, name: "value", nearAWSAccessKey: true)?.kind == .awsSecretAccessKey)
        #expect(detector.detect(Fake.awsSecretKey, name: "AWS_KEY")?.kind == .awsSecretAccessKey)
        #expect(detector.detect("wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", name: "value", nearAWSAccessKey: true) == nil)
    }

    @Test(arguments: ["password", "dbPassword", "DB_PASSWORD", "db-passwd", "myproj:smtpPassword", "apiKey", "api_key",
                      "accessKey", "storageAccessKey", "privateKey", "clientSecret", "client_secret", "connectionString",
                      "credentials", "recaptchaSecretKey", "GITHUB_TOKEN", "webhookSecret", "PULUMI_CONFIG_PASSPHRASE"])
    func flagsPlaintextUnderSensitiveNames(name: String) {
        #expect(detector.detect("s3cret2", name: name)?.kind == .sensitivelyNamed)
    }

    @Test(arguments: ["secretName", "passwordLength", "tokenUrl", "accessKeyId", "secretsProvider", "dbPasswordSecretArn",
                      "recaptchaSiteKey", "siteKey", "NEXT_PUBLIC_POSTHOG_KEY", "keyName", "region", "username", "passwordPolicy"])
    func ignoresMetadataAndPublicNames(name: String) {
        #expect(detector.detect("s3cret2", name: name) == nil)
    }

    @Test(arguments: ["", "  ", "true", "false", "12345", "changeme", "CHANGE_ME", "<your-token>", "your-api-key", "xxx", "********",
                      "example", "required", "Disabled", "${DB_PASSWORD}", "${{ secrets.DB_PASSWORD }}", "$DB_PASSWORD", "{{ .Values.password }}",
                      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", "/run/secrets/db", "./secrets/sa.json",
                      "https://vault.example.org/v1/secret/db", "%DB_PASSWORD%", "placeholder", "none"])
    func ignoresPlaceholdersAndReferences(value: String) {
        #expect(detector.detect(value, name: "dbPassword") == nil)
    }

    @Test func weakNamesNeedHighEntropy() {
        #expect(detector.detect("my-signing-material", name: "encryptionMaterialKey") == nil)
        #expect(detector.detect("k8Jq2Lm9Xv4Rt7Wp1Zs6Yb3N", name: "jwtKey")?.kind == .highEntropy)
        #expect(detector.detect("aaaaaaaaaaaaaaaaaaaaaaaa", name: "jwtKey") == nil)
    }

    @Test func detectionsNeverCarryTheValue() {
        for (value, _) in Self.knownFormats {
            let d = detector.detect(value)!
            #expect(!d.reason.contains(value) && !d.summary.contains(value) && !d.phrase.contains(value))
            #expect(d.length == value.count)
        }
        #expect(detector.detect(Fake.awsAccessKeyID)?.summary == "AWS access key id (20 characters)")
    }

    @Test func scanSkipsSecretsAndFindsNestedValues() throws {
        let json = #"{"db": {"password": "Tr0ub4dor-and-3", "host": "db"}, "token": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}, "list": [""# + Fake.githubPAT + #""]}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["db.password", "list.0"])
        #expect(found.map(\.detection.kind) == [.sensitivelyNamed, .githubToken])
    }

    @Test func scanFindsServiceAccountObjects() throws {
        let json = #"{"credentials": {"type": "service_"# + #"account", "private_key": "MIIEvQIBADANBgkq", "client_email": "a@b"}}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.detection.kind) == [.gcpServiceAccountKey])
    }
}

/// The walk reads keys from the JSON in place: escaped keys, output values, preview sentinels and AWS-named keys
/// must come out as they did when every key was decoded first.
@Suite struct SecretWalkKeyTests {
    let detector = SecretDetector()

    @Test func escapedKeysAreClassifiedAndNamedDecoded() throws {
        let json = #"{"db\u005fpass\u0077ord": "Tr0ub4dor-and-3", "n\u0061me": "Tr0ub4dor-and-3"}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["db_password"])
        #expect(found.first?.detection.reason == "the name 'db_password' says it holds a secret and the value is plaintext")
    }

    /// A detection's path names the keys and indexes leading to it, past siblings of every kind (containers skipped
    /// whole), through arrays in arrays and objects in arrays, under escaped and repeated keys.
    @Test func pathsAreFoundPastSiblingsAtEveryDepth() throws {
        let pat = Fake.githubPAT
        let json = #"{"a": 1, "list": [{"x": [1, {"y": "z"}]}, "s", {"nested": {"n": [2, 3], "password": "Tr0ub4dor-and-3"}}], "#
            + #""obj": {"arr": [[], ["x", ""# + pat + #""]], "k\u0065y": ""# + pat + #""}, "dup": {"q": 1}, "dup": [""# + pat + #""]}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["list.2.nested.password", "obj.arr.1.1", "obj.key", "dup.0"])
    }

    @Test func arraysKeepTheirKeysNameAndIndexInThePath() throws {
        let json = #"{"tokens": [["ghp-not-a-token-just-words"], ["s3cr3t-Value-99"]], "plain": [12345678901]}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["tokens.0.0", "tokens.1.0"])
    }

    @Test func longNumbersUnderStrongNamesAreFound() throws {
        let found = detector.scan(try PropertyValue.parse(json: #"{"pin": 1234, "apiToken": 123456789012, "count": 123456789012}"#))
        #expect(found.map(\.path) == ["apiToken"])
    }

    @Test func aSecretObjectIsNotPlaintextWhateverItHolds() throws {
        // A decrypted secret (`plaintext`) or an encrypted one (`ciphertext`) holding a token is a secret, told by
        // the signature key among its members; the same member in an ordinary object is plaintext.
        let sig = PulumiSignature.key, secret = PulumiSignature.secret, pat = Fake.githubPAT
        let json = #"{"a": {"n": 1, "\#(sig)": "\#(secret)", "plaintext": "\"\#(pat)\""}, "#
            + #""b": {"\#(sig)": "\#(secret)", "ciphertext": "\#(pat)"}, "c": {"plaintext": "\"\#(pat)\""}}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["c.plaintext"])
    }

    @Test func outputValuesWrappingObjectsAreWalkedAndOthersAreNot() throws {
        let sig = PulumiSignature.key, output = PulumiSignature.outputValue
        let json = #"{"a": {"\#(sig)": "\#(output)", "value": {"password": "Tr0ub4dor-and-3"}}, "b": {"\#(sig)": "\#(output)"}}"#
        // An output value is judged by its inner value's kind; when that is an object, the walk goes through the
        // wrapper's own members (`value`), and one without a value is an unknown.
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["a.value.password"])
        let unknown = detector.scan(try PropertyValue.parse(json: #"{"password": "\#(PulumiSignature.unknown)"}"#))
        #expect(unknown.isEmpty)
        let blinded = detector.scan(try PropertyValue.parse(json: #"{"password": "[secret]"}"#, dialect: .preview))
        #expect(blinded.isEmpty)
    }

    @Test func stringsWithEscapesAreJudgedByTheirDecodedText() throws {
        // An escape spelling Pulumi's unknown sentinel is still the sentinel; an escaped token is still a token.
        let unknown = PulumiSignature.unknown.replacingOccurrences(of: "0", with: #"\u0030"#)
        #expect(detector.scan(try PropertyValue.parse(json: #"{"password": "\#(unknown)"}"#)).isEmpty)
        let token = Fake.githubPAT.replacingOccurrences(of: "_", with: #"\u005f"#)
        #expect(detector.scan(try PropertyValue.parse(json: #"{"note": "\#(token)"}"#)).map(\.detection.kind) == [.githubToken])
        #expect(detector.scan(try PropertyValue.parse(json: #"{"password": "Tr0ub4dor\u002dand-3"}"#)).map(\.path) == ["password"])
    }

    @Test func aServiceAccountNeedsAPlaintextPrivateKeyAndTheLastDuplicateWins() throws {
        let key = #""private_key": "MIIEvQIBADANBgkq""#
        #expect(detector.scan(try PropertyValue.parse(json: #"{"type": "service_account", \#(key)}"#)).map(\.detection.kind) == [.gcpServiceAccountKey])
        // Not a key file once `type` is overridden, but its private key is still plaintext under a secret name.
        #expect(detector.scan(try PropertyValue.parse(json: #"{"type": "service_account", \#(key), "type": "user"}"#)).map(\.detection.kind) == [.sensitivelyNamed])
        #expect(detector.scan(try PropertyValue.parse(json: #"{"type": "service_account", "private_key": ""}"#)).isEmpty)
    }

    @Test func aFortyCharacterValueUnderAnAWSNameIsASecretKey() throws {
        let json = #"{"AwsSecret": "\#(Fake.awsSecretKey)", "other": "\#(Fake.awsSecretKey)"}"#
        let found = detector.scan(try PropertyValue.parse(json: json))
        #expect(found.map(\.path) == ["AwsSecret"])
        #expect(found.map(\.detection.kind) == [.awsSecretAccessKey])
    }
}

@Suite struct SensitiveNameTests {
    @Test(arguments: ["password", "dbPassword", "DB_PASSWORD", "myproj:smtpPassword", "apiKey", "secretName", "tokenUrl",
                      "encryptionKeyArn", "sshKey", "basicAuth", "publishableKey", "recaptchaSiteKey", "", ":", "ns:",
                      "naïvePassword", "パスワード", "k8s:kubeconfig", "accessKeyId"])
    func bytesAndStringsClassifyAlike(_ name: String) {
        var copy = name
        let fromBytes = copy.withUTF8 { SensitiveName.classify(utf8: $0) }
        #expect(fromBytes == SensitiveName.classify(name))
    }

    @Test func classifiesWordsByTheirLastStrongMatchAndItsSuffix() {
        #expect(SensitiveName.classify("dbPassword") == .strong)
        #expect(SensitiveName.classify("passwordLength") == .none)
        #expect(SensitiveName.classify("secretTokenValue") == .strong)
        #expect(SensitiveName.classify("naïvePassword") == .strong)
        #expect(SensitiveName.classify("sshKey") == .weak)
        #expect(SensitiveName.classify("publicToken") == .none)
        #expect(SensitiveName.classify("bucket") == .none)
    }

    @Test(arguments: [("aws_secret", true), ("AWS_KEY", true), ("myAwsThing", true), ("a_ws", false), ("law", false), ("", false)])
    func mentionsAWSInAnyCase(_ name: String, _ expected: Bool) {
        #expect(SensitiveName.mentionsAWS(name) == expected)
    }
}

@Suite struct SecretHeuristicsTests {
    @Test(arguments: [("https://example.com/x", true), ("git+ssh://host/repo", true), ("s3://bucket", true),
                      ("1http://x", false), ("http:/x", false), ("ht tp://x", false), ("://x", false), ("postgres", false)])
    func urlSchemesAreRecognisedWithoutARegex(_ text: String, _ expected: Bool) {
        #expect(SecretHeuristics.startsWithURLScheme(text) == expected)
    }

    @Test(arguments: [("abc", false), (" abc", true), ("abc ", true), ("\tabc", true), ("abc\n", true), ("\u{0B}abc", true),
                      ("abc\u{0C}", true), ("\rabc", true), ("\u{A0}abc", true), ("abc\u{85}", true), ("\u{2003}abc", true),
                      ("é", true), ("abc\u{301}", true), ("", false), ("a", false), ("a-b_c.d", false)])
    func trimmingIsSkippedOnlyWhereFoundationWouldTrimNothing(_ text: String, _ expected: Bool) {
        #expect(text.mayNeedTrimming == expected)
        if !expected { #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == text) }
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimmingWhitespace(newlines: false) == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\u{A0}", "\u{2003}"])
    func aValueFramedByWhiteSpaceIsJudgedAsTheValue(_ space: String) {
        let detector = SecretDetector()
        for (value, name) in [(Fake.githubPAT, nil), ("Zq8-vL3x-Pw7Kd", "dbPassword"), ("changeme", "dbPassword")] as [(String, String?)] {
            let bare = detector.detect(value, name: name)
            let framed = detector.detect(space + value + space, name: name)
            #expect(framed?.kind == bare?.kind, "\(value) framed by U+\(String(space.unicodeScalars.first!.value, radix: 16))")
        }
    }
}

@Suite struct SecretDetectorStateTests {
    @Test func kubeconfigsAreSecretOnlyWithEmbeddedCredentials() {
        let detector = SecretDetector()
        let exec = "apiVersion: v1\nusers:\n- name: eks\n  user:\n    exec:\n      command: aws\n      args: [eks, get-token]\n"
        let token = "apiVersion: v1\nusers:\n- name: admin\n  user:\n    token: " + "k8Jq2Lm9Xv4Rt7Wp1Zs6" + "\n"
        #expect(detector.detect(exec, name: "kubeconfig") == nil)
        #expect(detector.detect(token, name: "kubeconfig")?.kind == .sensitivelyNamed)
    }

    @Test func stateModeIgnoresKeyLikeNames() {
        #expect(SecretDetector(checksKeyLikeNames: false).detect("todo4c238266/favicon-x9.ico", name: "key") == nil)
        #expect(SecretDetector(checksKeyLikeNames: false).detect("k8Jq2Lm9Xv4Rt7Wp1Zs6Yb3N", name: "jwtKey") == nil)
        #expect(SecretDetector().detect("SYMMETRIC_DEFAULT", name: "customerMasterKeySpec") == nil)
    }
}
