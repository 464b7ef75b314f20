import Foundation
import Testing

/// Secret safety as a property (docs/product.md §2, "Secret safety"): seeded random states hold random secret values —
/// plaintext and ciphertext forms, nested in objects and arrays, in inputs and outputs, tags, provider inputs,
/// stack-reference outputs and pending operations — and the real CLI scans them with every built-in pack into every
/// report format. No output, notice or error line may contain any secret. Malformed variants (cut or broken right
/// after a secret) check the error path the same way.
@Suite struct SecretLeakPropertyTests {
    /// SplitMix64: a seeded generator, so a failing seed can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let signature = #""4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270""#
    static let types = ["aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "aws:iam/accessKey:AccessKey", "aws:ec2/instance:Instance",
                        "aws:lambda/function:Function", "kubernetes:core/v1:Secret", "azure-native:storage:StorageAccount",
                        "gcp:sql/user:User", "random:index/randomPassword:RandomPassword", "aws:ssm/parameter:Parameter"]
    static let keys = ["password", "secretKey", "accessKey", "token", "apiKey", "connectionString", "value", "data", "privateKey",
                       "masterPassword", "clientSecret", "credentials", "tags", "environment", "userData", "result"]

    /// A generated state: its JSON and the secrets it holds.
    struct Generated {
        var json: String
        var secrets: [String]
    }

    /// Random secret text: long enough to be distinctive, never a resource name (names here are `r<n>`), drawn from
    /// characters every report format escapes differently.
    static func secret(_ rng: inout SeededGenerator) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+/=_-.:@#%&<>'!?~é中🔑")
        let count = Int.random(in: 14...40, using: &rng)
        return "Sx" + String((0..<count).map { _ in alphabet.randomElement(using: &rng)! })
    }

    /// JSON string literal for `text` (escaped as Pulumi writes it).
    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// A secret value in one of its forms; for plaintext, the plaintext is itself JSON (a string, an object, an array).
    static func secretValue(_ rng: inout SeededGenerator, _ secrets: inout [String]) -> String {
        let s = secret(&rng)
        secrets.append(s)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "{\(signature), \"ciphertext\": \(quoted("v1:" + s))}"
        case 1: return "{\(signature), \"plaintext\": \(quoted(quoted(s)))}"
        case 2:
            let inner = "{\"user\": \"admin\", \"auth\": {\"token\": \(quoted(s))}}"
            return "{\(signature), \"plaintext\": \(quoted(inner))}"
        default: return "{\(signature), \"plaintext\": \(quoted("[1, " + quoted(s) + "]"))}"
        }
    }

    /// A property bag with secrets at random depths, beside ordinary values.
    static func properties(_ rng: inout SeededGenerator, _ secrets: inout [String], depth: Int = 0) -> String {
        var members: [String] = []
        for key in keys.shuffled(using: &rng).prefix(Int.random(in: 1...5, using: &rng)) {
            let value: String
            switch Int.random(in: 0..<(depth < 3 ? 6 : 3), using: &rng) {
            case 0, 1: value = secretValue(&rng, &secrets)
            case 2: value = ["\"plain\"", "true", "42", "null", "[]"].randomElement(using: &rng)!
            case 3: value = properties(&rng, &secrets, depth: depth + 1)
            case 4: value = "[" + properties(&rng, &secrets, depth: depth + 1) + ", " + secretValue(&rng, &secrets) + "]"
            default: value = "{\"env\": \"prod\", \"owner\": " + secretValue(&rng, &secrets) + "}"
            }
            members.append("\(quoted(key)): \(value)")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func state(seed: UInt64) -> Generated {
        var rng = SeededGenerator(state: seed)
        var secrets: [String] = []
        let stackURN = "urn:pulumi:prod::leak::pulumi:pulumi:Stack::leak-prod"
        let providerURN = "urn:pulumi:prod::leak::pulumi:providers:aws::default"
        var resources = [
            #"{"urn": "\#(stackURN)", "custom": false, "type": "pulumi:pulumi:Stack", "outputs": \#(properties(&rng, &secrets))}"#,
            #"{"urn": "\#(providerURN)", "custom": true, "id": "p1", "type": "pulumi:providers:aws", "inputs": \#(properties(&rng, &secrets)), "outputs": \#(properties(&rng, &secrets))}"#,
            #"{"urn": "urn:pulumi:prod::leak::pulumi:pulumi:StackReference::ref", "custom": true, "id": "org/p/s", "type": "pulumi:pulumi:StackReference", "outputs": {"name": "org/p/s", "outputs": \#(properties(&rng, &secrets)), "secretOutputNames": ["password"]}}"#,
        ]
        for i in 0..<Int.random(in: 3...8, using: &rng) {
            let type = types.randomElement(using: &rng)!
            let name = "r\(i)"
            resources.append(#"{"urn": "urn:pulumi:prod::leak::\#(type)::\#(name)", "custom": true, "id": "\#(name)-id", "type": "\#(type)", "parent": "\#(stackURN)", "provider": "\#(providerURN)::p1", "inputs": \#(properties(&rng, &secrets)), "outputs": \#(properties(&rng, &secrets))}"#)
        }
        let pending = #"{"type": "updating", "resource": {"urn": "urn:pulumi:prod::leak::aws:s3/bucket:Bucket::pending", "custom": true, "type": "aws:s3/bucket:Bucket", "inputs": \#(properties(&rng, &secrets))}}"#
        let json = """
            {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": "v3.140.0"},
             "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:v1:AAAA:BBBB"}},
             "resources": [\(resources.joined(separator: ",\n  "))],
             "pending_operations": [\(pending)]}}
            """
        return Generated(json: json, secrets: secrets)
    }

    /// Text as every report writes it may escape a secret: raw, JSON-escaped, XML-escaped.
    static func forms(_ secret: String) -> [String] {
        let json = String(quoted(secret).dropFirst().dropLast())
        let xml = secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
        // HTML: text escapes quotes as &quot; and &#39;; the embedded JSON writes <, > and & as \u escapes.
        let html = xml.replacingOccurrences(of: "&apos;", with: "&#39;").replacingOccurrences(of: "\"", with: "&quot;")
        let script = json.replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
        return Array(Set([secret, json, xml, html, script, "v1:" + secret]))
    }

    static func assertNoSecret(_ text: String, _ secrets: [String], _ what: String, seed: UInt64) {
        for secret in secrets {
            for form in forms(secret) where text.contains(form) {
                Issue.record("seed \(seed): \(what) contains a secret")
                return
            }
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(12)))
    func noReportFormatOrMessageHoldsASecret(seed: UInt64) throws {
        let generated = Self.state(seed: seed)
        #expect(generated.secrets.count >= 5)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-leak-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("leak-prod.json")
        try Data(generated.json.utf8).write(to: input)

        let formats = ["json", "junit", "sarif", "markdown", "github"]
        var arguments = ["scan", input.path, "--fail-on", "none", "--report", "text"]
        for format in formats { arguments += ["--report", "\(format)=\(dir.appendingPathComponent("report.\(format)").path)"] }
        let result = try CLIProcess.run(arguments, timeout: 30)
        #expect(result.exitCode == 0, "seed \(seed): \(result.stderr.prefix(300))")
        #expect(!result.crashed && !result.timedOut)
        Self.assertNoSecret(result.stdout, generated.secrets, "text report", seed: seed)
        Self.assertNoSecret(result.stderr, generated.secrets, "stderr", seed: seed)
        for format in formats {
            let report = try String(contentsOf: dir.appendingPathComponent("report.\(format)"), encoding: .utf8)
            #expect(!report.isEmpty)
            Self.assertNoSecret(report, generated.secrets, "\(format) report", seed: seed)
        }

        // Error path: the document cut right after a secret, or broken by a stray byte right after one.
        let text = Array(generated.json.utf8)
        let secret = generated.secrets[Int(seed) % generated.secrets.count]
        let escaped = Array(String(Self.quoted(secret).dropFirst().dropLast()).utf8)
        if let range = text.firstRange(of: escaped) {
            for variant in [Array(text[..<range.upperBound]), Array(text[..<range.upperBound]) + [0xFF] + Array(text[range.upperBound...]),
                            Array(text[..<range.upperBound]) + [0x01] + Array(text[range.upperBound...])] {
                let broken = dir.appendingPathComponent("broken.json")
                try Data(variant).write(to: broken)
                let failed = try CLIProcess.run(["scan", broken.path, "--quiet"])
                #expect(failed.exitCode == 2)
                Self.assertNoSecret(failed.stderr + failed.stdout, generated.secrets, "error message", seed: seed)
            }
        }
    }

    /// Stack config: random `secure:` ciphertexts (top-level, in object values, in lists) and plaintext values under
    /// sensitive names, linted into every report format; neither may appear anywhere.
    @Test(arguments: Array(UInt64(1)...UInt64(6)))
    func lintNeverPrintsConfigSecrets(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed &* 7919)
        var secrets: [String] = []
        var lines = ["config:"]
        for i in 0..<Int.random(in: 3...6, using: &rng) {
            let s = Self.secret(&rng).replacingOccurrences(of: "'", with: "x")
            secrets.append("v1:" + s)
            switch i % 3 {
            case 0: lines.append("  leak:key\(i):\n    secure: 'v1:\(s)'")
            case 1: lines.append("  leak:obj\(i):\n    nested:\n      password:\n        secure: 'v1:\(s)'")
            default: lines.append("  leak:list\(i):\n    - secure: 'v1:\(s)'")
            }
        }
        for i in 0..<3 {
            let plain = "AKIA" + String((0..<16).map { _ in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").randomElement(using: &rng)! })
            let password = Self.secret(&rng).replacingOccurrences(of: "'", with: "x")
            secrets += [plain, password]
            lines.append("  aws:accessKey\(i == 0 ? "" : String(i)): '\(plain)'")
            lines.append("  leak:dbPassword\(i): '\(password)'")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-lint-leak-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("name: leak\nruntime: nodejs\n".utf8).write(to: dir.appendingPathComponent("Pulumi.yaml"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("Pulumi.prod.yaml"))

        let formats = ["json", "junit", "sarif", "markdown", "github"]
        var arguments = ["lint", dir.path, "--fail-on", "none", "--report", "text"]
        for format in formats { arguments += ["--report", "\(format)=\(dir.appendingPathComponent("report.\(format)").path)"] }
        let result = try CLIProcess.run(arguments, timeout: 30)
        #expect(result.exitCode == 0, "seed \(seed): \(result.stderr.prefix(300))")
        #expect(result.stdout.contains("plaintext"), "the plaintext values are found (so the check below is not vacuous)")
        Self.assertNoSecret(result.stdout + result.stderr, secrets, "lint text/stderr", seed: seed)
        for format in formats {
            let report = try String(contentsOf: dir.appendingPathComponent("report.\(format)"), encoding: .utf8)
            Self.assertNoSecret(report, secrets, "lint \(format) report", seed: seed)
        }
    }
}
