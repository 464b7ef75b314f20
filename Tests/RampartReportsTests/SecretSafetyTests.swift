import Foundation
import Rampart
import RampartEngine
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy
@testable import RampartReports
import Testing

/// Every way a policy can hand text to a report, each stuffed with the resource's secrets: the raw JSON of its
/// properties (ciphertexts and JSON-encoded plaintexts), and every string and number read through decrypted
/// secrets. Test-only: no real policy does this, which is exactly what the redaction must survive.
struct LeakyResourcePolicy: ResourcePolicy {
    var descriptor: PolicyDescriptor {
        PolicyDescriptor(name: "leaky-resource", description: "Prints secrets.", severity: .critical, enforcementLevel: .mandatory,
                         remediation: "Never print secrets.")
    }
    var types: TypeSelector { .all }

    struct Leak: Error, CustomStringConvertible {
        var text: String
        var description: String { "policy crashed while holding " + text }
    }

    static func leak(_ resource: ResourceContext) -> String {
        var parts: [String] = []
        for value in [resource.resource.inputs, resource.resource.outputs].compactMap({ $0 }) {
            var writer = JSONWriter()
            writer.node(value.node)
            parts.append(writer.string)
            collect(PropertyLookup(value), into: &parts)
        }
        return parts.joined(separator: " | ")
    }

    /// Strings and numbers at any depth, looking through decrypted secrets.
    static func collect(_ lookup: PropertyLookup, into parts: inout [String]) {
        if let s = lookup.string { parts.append(s) }
        if let v = lookup.value, v.kind == .number, let text = v.node.numberText { parts.append(text) }
        for element in lookup.elements { collect(element, into: &parts) }
        for (_, member) in lookup.members { collect(member, into: &parts) }
    }

    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        let leak = LeakyResourcePolicy.leak(resource)
        if resource.type == "pulumi:pulumi:Stack" {
            // The stack resource holds no secrets itself: print everyone else's.
            let all = resource.stack.graph.resources.indices.map { LeakyResourcePolicy.leak(ResourceContext(stack: resource.stack, index: $0)) }
            return .notApplicable("not for stacks; by the way: " + all.joined(separator: " / "))
        }
        if resource.type.hasPrefix("pulumi:providers:") { return .indeterminate("cannot tell; " + leak) }
        if resource.index % 3 == 0 { throw Leak(text: leak) }
        let first = leak.split(separator: " ").first.map(String.init) ?? ""
        return .violation(Violation("found " + leak, proposedFix: "set it to " + leak,
                                    location: SourceLocation(file: "leak-" + first + ".ts", line: 3, column: 1), detailKey: leak))
    }
}

/// A stack policy printing every secret of the stack at stack level.
struct LeakyStackPolicy: StackPolicy {
    var descriptor: PolicyDescriptor {
        PolicyDescriptor(name: "leaky-stack", description: "Prints all secrets.", severity: .low, enforcementLevel: .advisory)
    }

    func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let all = stack.graph.resources.indices.map { LeakyResourcePolicy.leak(stack.resource($0)) }.joined(separator: " / ")
        return StackEvaluation([.init(resourceIndex: nil, outcome: .violation(Violation("stack secrets: " + all))),
                                .init(resourceIndex: nil, outcome: .indeterminate("also: " + all))])
    }
}

@Suite struct SecretSafetyTests {
    static let sig = "\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\""

    /// A state export holding secrets in both forms, nested, with characters every format escapes.
    static let state = """
        {"version": 3, "deployment": {
          "manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": "v3.140.0"},
          "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:v1:AAAA:BBBB"}},
          "resources": [
            {"urn": "urn:pulumi:prod::vault::pulumi:pulumi:Stack::vault-prod", "custom": false, "type": "pulumi:pulumi:Stack"},
            {"urn": "urn:pulumi:prod::vault::pulumi:providers:aws::default", "custom": true, "id": "p1", "type": "pulumi:providers:aws",
             "inputs": {"secretKey": {\(sig), "ciphertext": "v1:cHJvdmlkZXI=:ProviderSecretKeyCipher/+=="}}},
            {"urn": "urn:pulumi:prod::vault::aws:rds/instance:Instance::db", "custom": true, "id": "db-1", "type": "aws:rds/instance:Instance",
             "inputs": {"password": {\(sig), "plaintext": "\\"hunter2-Plaintext-Secret\\""}},
             "outputs": {
               "password": {\(sig), "plaintext": "\\"hunter2-Plaintext-Secret\\""},
               "connection": {\(sig), "plaintext": "{\\"user\\":\\"admin\\",\\"auth\\":{\\"token\\":\\"nested-Token-Secret-42\\",\\"pin\\":987654321}}"},
               "apiKey": {\(sig), "ciphertext": "v1:Zm9vYmFyYmF6:CipherTextOfTheApiKey=="},
               "tags": {"env": "prod", "list": ["plain", {\(sig), "plaintext": "\\"list-element-secret-7\\""}]},
               "deep": {"a": {"b": [{"c": {\(sig), "ciphertext": "v1:ZGVlcA==:DeepNestedCipher/Value+=="}}]}},
               "odd": {\(sig), "plaintext": "\\"p@ss<w0rd>&\\\\\\"quote'%,:\\\\nline\\""}
             }},
            {"urn": "urn:pulumi:prod::vault::aws:s3/bucket:Bucket::files", "custom": true, "id": "b-1", "type": "aws:s3/bucket:Bucket",
             "outputs": {"bucket": "files", "sse": {\(sig), "plaintext": "\\"bucket-Secret-Value-99\\""}}}
          ]}}
        """

    static let stateSecrets = [
        "hunter2-Plaintext-Secret", "nested-Token-Secret-42", "987654321", "v1:Zm9vYmFyYmF6:CipherTextOfTheApiKey==",
        "list-element-secret-7", "v1:ZGVlcA==:DeepNestedCipher/Value+==", "p@ss<w0rd>&\"quote'%,:\nline",
        "v1:cHJvdmlkZXI=:ProviderSecretKeyCipher/+==", "bucket-Secret-Value-99",
    ]

    static let sampleSecrets = [
        // random-password-plaintext-secrets.json (decrypted, `--show-secrets`)
        "Qp7:#8odTqS)5#bS", "$2a$10$HsFvLK4wI7aLBcqPQiJ8DOGYyeymRSM.MNTWUbd/Q3.SykJ/ukpBi",
        // gcp-sql-user-password.json (encrypted)
        "v1:NL+1j6b3NPftKZsZ:DVGuw/jvNIBuDt5igp9O746YqCLn64obZB5Ehw==",
    ]

    static let pack = PolicyPack(name: "leaky", version: "1.0.0", description: "Test-only policies that print secrets",
                                 enforcementLevel: .mandatory, policies: [LeakyResourcePolicy(), LeakyStackPolicy()], origin: "test")

    static func stacks() throws -> [Stack] {
        let reader = InputReader()
        let built = try reader.read(bytes: Array(state.utf8), source: InputSource(path: "vault-prod.json"))
        let samples = try ["random-password-plaintext-secrets.json", "gcp-sql-user-password.json", "azure-sql-random-password.json"].map {
            try reader.read(InputSource(path: Paths.samples + "/state/export/" + $0))
        }
        return [built] + samples
    }

    static func report(jobs: Int = 1) throws -> ScanReport {
        let engine = Engine(packs: [pack], options: EngineOptions(jobs: jobs, today: "2026-11-26"))
        let results = try stacks().map { engine.evaluate($0) }
        return engine.report(results, inputs: ["vault-prod.json"], tool: ToolInfo(version: "test"), timestamp: "2026-11-26T10:30:00Z")
    }

    /// The forms a secret could take in each format's output.
    static func forms(_ secret: String) -> Set<String> {
        var json = JSONWriter()
        json.string(secret)
        let jsonForm = String(json.string.dropFirst().dropLast())
        var script = JSONWriter(escaping: .htmlScript)
        script.string(secret)
        let scriptForm = String(script.string.dropFirst().dropLast())
        return [secret, XMLWriter.escape(secret, inAttribute: true), XMLWriter.escape(secret, inAttribute: false), jsonForm, scriptForm,
                HTMLText.escape(secret),
                GitHubReporter.escapeData(secret), GitHubReporter.escapeProperty(secret), MarkdownText.escape(secret),
                SARIFReporter.uri(secret)]
    }

    @Test func thePoliciesReallyTryToLeak() throws {
        // Guards the test itself: without redaction, the messages would hold every secret.
        let stack = try Self.stacks()[0]
        let db = try #require(stack.graph.resources.firstIndex { $0.type == "aws:rds/instance:Instance" })
        let raw = LeakyResourcePolicy.leak(ResourceContext(stack: stack, index: db))
        for secret in Self.stateSecrets where !secret.contains("Provider") && !secret.contains("bucket-") {
            #expect(raw.contains(secret), "the test policy does not print \(secret)")
        }
        let report = try Self.report()
        #expect(report.findings.filter { $0.message.contains(SecretRedactor.replacement) }.count >= 8)
    }

    @Test func noReportFormatContainsAnySecret() throws {
        let report = try Self.report()
        #expect(report.findings.contains { $0.outcome == .violation && $0.resource != nil })
        #expect(report.findings.contains { $0.outcome == .error })
        #expect(report.findings.contains { $0.outcome == .indeterminate })
        #expect(report.evaluations.contains { $0.outcome == .notApplicable })

        var outputs: [(String, [UInt8])] = [
            ("text", TextReporter().render(report)), ("json", JSONReporter().render(report)),
            ("sarif", SARIFReporter().render(report)), ("markdown", MarkdownReporter().render(report)),
            ("github", GitHubReporter().render(report)), ("html", HTMLReporter().render(report)),
            ("html audit", HTMLReporter(checklist: true).render(report)),
        ]
        for advisory in ReportOptions.JUnitAdvisory.allCases {
            for indeterminate in ReportOptions.JUnitIndeterminate.allCases {
                let options = ReportOptions(junitAdvisory: advisory, junitIndeterminate: indeterminate)
                outputs.append(("junit \(advisory) \(indeterminate)", JUnitReporter(options: options).render(report)))
            }
        }
        let secrets = (Self.stateSecrets + Self.sampleSecrets).flatMap(Self.forms)
        for (format, bytes) in outputs {
            let text = bytes.text
            let leaked = secrets.filter { text.contains($0) }
            #expect(leaked.isEmpty, "\(format) report contains \(leaked.count) secret form(s), starting \(leaked.map { $0.prefix(6) })")
            if format.hasPrefix("junit") { #expect(try SchemaValidator.junitErrors(bytes) == nil) }
            if format == "sarif" { #expect(try SchemaValidator.sarifErrors(bytes) == nil) }
            if format == "json" { #expect(try SchemaValidator.jsonSchemaErrors(bytes, schema: Paths.reportSchema) == nil) }
        }
    }

    @Test func findingFieldsNoReporterPrintsAreRedactedToo() throws {
        // Detail keys feed fingerprints and may be printed by future reporters.
        let report = try Self.report()
        let secrets = Self.stateSecrets + Self.sampleSecrets
        var fields = report.findings.flatMap { [$0.detailKey, $0.proposedFix, $0.location?.file].compactMap { $0 } }
        fields += report.evaluations.compactMap(\.reason)
        #expect(fields.count > 20)
        let leaked = fields.filter { field in secrets.contains { field.contains($0) } }
        #expect(leaked.isEmpty, "\(leaked.count) field(s) hold a secret")
    }

    @Test func engineOutputRendersIdenticallyForAnyJobCount() throws {
        let one = try Self.report(jobs: 1), four = try Self.report(jobs: 4)
        let reporters: [any Reporter] = [JSONReporter(), SARIFReporter(), JUnitReporter(), MarkdownReporter(), GitHubReporter(),
                                         HTMLReporter()]
        for reporter in reporters {
            #expect(reporter.render(one) == reporter.render(four), "\(type(of: reporter)) differs between job counts")
        }
        // Fingerprints depend on (stack, pack, policy, URN, detail) only.
        #expect(one.findings.map(\.fingerprint) == four.findings.map(\.fingerprint))
    }
}
