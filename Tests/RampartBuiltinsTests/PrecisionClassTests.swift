import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// The classes of false finding measured on real projects (docs/detection.md), each on a fixture of our own; the
/// labelled real-world set itself runs in RampartTests when ../shared is present.
@Suite struct ProductionStackPatternTests {
    let passphrase = PassphraseSecretsProviderPolicy()
    let mandatory = MandatoryPolicyEnforcementPolicy()

    func saltedStack(_ stack: String, project: String) throws -> Evidence {
        try Fixture.evidence(try Fixture.temporaryProject([
            "Pulumi.yaml": "name: \(project)\nruntime: go\n",
            "Pulumi.\(stack).yaml": "encryptionsalt: v1:abc=:v1:def:ghi\nconfig: {}\n",
        ]))
    }

    @Test func aProjectNamedProdDoesNotMakeEveryStackProduction() throws {
        let evidence = try saltedStack("dev", project: "reproduce-prod-issue")
        let outcomes = try Fixture.evaluate(passphrase, stack: Fixture.stack("dev", project: "reproduce-prod-issue"), evidence: evidence)
        #expect(outcomes.map(\.kind) == [.notApplicable])
        let gate = try Fixture.evaluate(mandatory, stack: Fixture.stack("dev", project: "product-api"), evidence: Evidence())
        #expect(gate.map(\.kind) == [.notApplicable])
    }

    @Test func stackNamesMatchCaseInsensitively() throws {
        let outcomes = try Fixture.evaluate(passphrase, stack: Fixture.stack("Production", project: "airbyte"),
                                            evidence: try saltedStack("Production", project: "airbyte"))
        #expect(outcomes.map(\.kind) == [.violation])
    }

    @Test func aPatternThatNamesTheProjectMatchesIt() throws {
        let config = PolicyConfig(["productionStackPattern": .string("payments/*")])
        let evidence = try saltedStack("dev", project: "payments")
        let outcomes = try Fixture.evaluate(passphrase, stack: Fixture.stack("dev", project: "payments"), evidence: evidence, config: config)
        #expect(outcomes.map(\.kind) == [.violation])
        let other = try Fixture.evaluate(passphrase, stack: Fixture.stack("dev", project: "orders"),
                                         evidence: try saltedStack("dev", project: "orders"), config: config)
        #expect(other.map(\.kind) == [.notApplicable])
    }
}

@Suite struct SecretPrecisionTests {
    let detector = SecretDetector()

    @Test(arguments: ["local-dev-apisix-admin-key", "staging-webhook-signing-key", "Blue_Green.Deploy-Key", "internal.api.gateway.key"])
    func wordPhrasesUnderKeyLikeNamesAreNotHighEntropy(value: String) {
        #expect(detector.detect(value, name: "apisix_admin_key") == nil)
    }

    @Test(arguments: ["9fQ2xLmT7vRb4KpZ8wYc3NdH", "q7R-2mXv_9LpT4zKw8BnY6cJ"])
    func generatedKeysUnderKeyLikeNamesStillAre(value: String) {
        #expect(detector.detect(value, name: "apisix_admin_key")?.kind == .highEntropy)
    }

    @Test(arguments: ["Your MailGun or domain provider key", "enter the api token here", "put your password in here",
                      "Your\tMailGun\tkey", "\u{A0}enter your token here\u{2003}",
                      "__MAILGUN_API_KEY__", "%%DB_PASSWORD%%", "<%= ENV['TOKEN'] %>", "xxxx-xxxx-xxxx-xxxx", "not-a-secret"])
    func proseAndTemplatePlaceholdersAreNotSecrets(value: String) {
        #expect(detector.detect(value, name: "MAILGUN_API_KEY") == nil)
    }

    @Test func aPassphraseOfPlainWordsIsStillASecret() {
        #expect(detector.detect("correct horse battery staple", name: "dbPassword")?.kind == .sensitivelyNamed)
    }

    @Test func credentialJSONIsJudgedByItsKeyMaterial() {
        #expect(detector.detect(#"{"type":"service_account"}"#, name: "GOOGLE_CREDENTIALS") == nil)
        #expect(detector.detect(#"{"type":"service_account","project_id":"orders"}"#, name: "credentials_json") == nil)
        #expect(detector.detect(Fake.gcpServiceAccount, name: "GOOGLE_CREDENTIALS")?.kind == .gcpServiceAccountKey)
        #expect(detector.detect(#"{"client_secret":"Zq8-vL3x-Pw7Kd"}"#, name: "AZURE_CREDENTIALS")?.kind == .sensitivelyNamed)
    }

    @Test func filePathsUnderTokenFileNamesAreNotSecrets() {
        #expect(detector.detect("/var/run/secrets/eks.amazonaws.com/serviceaccount/token", name: "AWS_WEB_IDENTITY_TOKEN_FILE") == nil)
        #expect(detector.detect("/etc/app/db-password", name: "DB_PASSWORD") == nil)
        #expect(detector.detect("secrets/token.txt", name: "API_TOKEN") == nil)
    }
}

@Suite struct CITestFixtureTests {
    static let project = Fixture.root + "/precision/ci-test-fixtures"

    @Test func servicesFixturesDummiesAndKeylessCredentialsAreNotStaticKeys() throws {
        let outcomes = try Fixture.evaluate(StaticCloudKeysInCIPolicy(), stack: Fixture.stack("dev", project: "orders"),
                                            evidence: try Fixture.evidence(Self.project))
        // Only the real literal is left: the service's env, the value repeating it, the declared dummy passphrase,
        // the keyless credential JSON and the token file path are test fixtures or no secret at all.
        #expect(Fixture.locations(outcomes) == ["test.yml:20:26"])
        #expect(Fixture.messages(outcomes).allSatisfy { $0.contains("SMTP_PASSWORD") })
    }

    @Test func aKeylessCredentialIsNoStaticProviderCredential() throws {
        let outcomes = try Fixture.evaluate(DynamicProviderCredentialsPolicy(), stack: Fixture.stack("dev", project: "orders"),
                                            evidence: try Fixture.evidence(Self.project))
        #expect(!Fixture.messages(outcomes).contains { $0.contains("GOOGLE_CREDENTIALS") })
    }
}

@Suite struct FindingMessageTests {
    func messages(_ policy: any ResourcePolicy, _ type: String, _ properties: String) throws -> [String] {
        let stack = try PolicyExampleRunner.makeStack(PolicyExample(type: type, properties: properties, expect: .violation))
        let outcome = try policy.evaluate(ResourceContext(stack: stack, index: 0), config: policy.descriptor.configSchema.defaults)
        switch outcome {
        case .violation(let v): return [v.message]
        default: return []
        }
    }

    func policy(_ pack: PolicyPack, _ name: String) throws -> any ResourcePolicy {
        try #require(pack.policies.first { $0.descriptor.name == name } as? any ResourcePolicy)
    }

    @Test func launchConfigurationsAreNotCalledInstances() throws {
        let policy = try policy(AWSBaseline.pack, "ec2-launch-template-volumes-encrypted")
        let got = try messages(policy, "aws:ec2/launchConfiguration:LaunchConfiguration", #"{"rootBlockDevice": {"encrypted": false}}"#)
        #expect(got.count == 1)
        #expect(got.allSatisfy { $0.hasPrefix("Launch configuration ") && !$0.contains("EC2 instance") })
    }

    @Test func oneDayIsSingular() throws {
        let policy = try policy(AWSBaseline.pack, "cloudwatch-log-group-retention")
        let got = try messages(policy, "aws:cloudwatch/logGroup:LogGroup", #"{"retentionInDays": 1}"#)
        #expect(got.count == 1)
        #expect(got.allSatisfy { $0.contains("keeps events 1 day;") })
    }
}
