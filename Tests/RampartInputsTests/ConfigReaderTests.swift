import Foundation
import RampartInputs
import RampartJSON
import RampartModel
import Testing

@Suite struct ConfigReaderTests {
    func stackFile(_ relative: String, project: String?) throws -> StackConfigFile {
        try StackConfigReader().read(Fixture.sample("config/" + relative), projectName: project)
    }

    func entry(_ file: StackConfigFile, _ key: String) -> ConfigEntry? { file.config.first { $0.key == key } }

    @Test func readsNamespacedKeysAndSecureValuesWithPositions() throws {
        let file = try stackFile("openpipe-infra/Pulumi.prod.yaml", project: "openpipe")
        #expect(file.stackName == "prod")
        #expect(file.config.count == 48)
        let region = try #require(entry(file, "aws:region"))
        #expect(region.value.string == "us-west-2" && !region.isSecure && region.line == 3 && region.column == 15)
        let key = try #require(entry(file, "openpipe:OPENAI_API_KEY"))
        #expect(key.isSecure && key.value.isSecret)
        if case .encrypted? = key.value.secret {} else { Issue.record("secure value should be an encrypted secret") }
        #expect(file.config.filter(\.isSecure).count == 26)
        #expect(entry(file, "openpipe:ANYSCALE_ENABLE_A100")?.value.string == "true")
        #expect(file.secretsProvider == nil && file.encryptionSalt == nil && file.environmentImports.isEmpty)
    }

    @Test func neverKeepsCiphertext() throws {
        let file = try stackFile("openpipe-infra/Pulumi.prod.yaml", project: "openpipe")
        let key = try #require(entry(file, "openpipe:OPENAI_API_KEY"))
        var writer = JSONWriter()
        writer.node(key.value.node)
        let text = writer.string
        #expect(!text.contains("AAABA"))
    }

    @Test func rewritesUnnamespacedKeysToTheProject() throws {
        let file = try stackFile("selfhosted-05-eks-cluster/Pulumi.dev.yaml", project: "selfhosted-05-ekscluster")
        #expect(entry(file, "selfhosted-05-ekscluster:baseName")?.writtenKey == "baseName")
        #expect(entry(file, "selfhosted-05-ekscluster:clusterVersion")?.value.string == "1.30")
        #expect(entry(file, "selfhosted-05-ekscluster:standardNodeGroupDesiredCapacity")?.value.number == 2)
        #expect(entry(file, "aws:region") != nil)
        let salt = try #require(file.encryptionSalt)
        #expect(salt.location.line == 1 && salt.location.column == 17)
        #expect(file.effectiveSecretsProvider == "passphrase")
    }

    @Test func readsProviderKeysAndNestedSecureObjects() throws {
        let file = try stackFile("automation-all-secret-fields/Pulumi.dev.yaml", project: "testproj")
        #expect(file.secretsProvider?.value == "abc" && file.encryptedKey?.value == "thisiskey" && file.encryptionSalt != nil)
        #expect(file.effectiveSecretsProvider == "cloud")
        #expect(entry(file, "testproj:plain")?.isSecure == false)
        #expect(entry(file, "testproj:secure")?.isSecure == true)
    }

    @Test func readsEmptyValuesAsNull() throws {
        let file = try stackFile("selfhosted-90-pulumi-service/Pulumi.dev.yaml", project: "selfhosted-90-pulumi-service")
        #expect(entry(file, "selfhosted-90-pulumi-service:smtpPassword")?.value.isNull == true)
        let recaptcha = try #require(entry(file, "selfhosted-90-pulumi-service:recaptchaSecretKey"))
        #expect(recaptcha.line == 21 && recaptcha.column == 52)
        #expect(entry(file, "selfhosted-90-pulumi-service:licenseKey")?.isSecure == true)
    }

    @Test func readsServiceSecureValuesAndPlainValues() throws {
        let file = try stackFile("automation-testproj/Pulumi.int_test_983828.yaml", project: "testproj")
        #expect(file.stackName == "int_test_983828")
        #expect(entry(file, "testproj:bar")?.value.string == "abc")
        #expect(entry(file, "testproj:buzz")?.isSecure == true)
    }

    @Test func acceptsTheOldConfigNamespaceForm() throws {
        let root = try Fixture.temporaryDirectory()
        let path = root + "/Pulumi.dev.yaml"
        try Data("config:\n  aws:config:region: us-east-1\n  db:\n    user: app\n    password:\n      secure: v1:abc\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let file = try StackConfigReader().read(path, projectName: "shop")
        #expect(file.config.map(\.key) == ["aws:region", "shop:db"])
        let db = try #require(file.config.last)
        #expect(!db.isSecure && db.containsSecure)
        #expect(db.positions["password"]?.line == 5)
        #expect(db.value["password"]?.isSecret == true && db.value["user"]?.string == "app")
    }

    @Test func readsEnvironmentImportsInBothForms() throws {
        let root = try Fixture.temporaryDirectory()
        let list = root + "/Pulumi.a.yaml", inline = root + "/Pulumi.b.yaml"
        try Data("environment:\n  - shop/dev\n  - shared/aws\n".utf8).write(to: URL(fileURLWithPath: list))
        try Data("environment:\n  imports:\n    - shop/prod\n    - shared/aws: {merge: false}\n  values:\n    x: 1\n".utf8)
            .write(to: URL(fileURLWithPath: inline))
        #expect(try StackConfigReader().read(list, projectName: nil).environmentImports == ["shop/dev", "shared/aws"])
        #expect(try StackConfigReader().read(inline, projectName: nil).environmentImports == ["shop/prod", "shared/aws"])
    }

    // MARK: - Project files

    @Test func readsLegacyConfigDirectory() throws {
        let project = try ProjectFileReader().read(Fixture.sample("config/dynamic-provider-secrets/Pulumi.yaml"))
        #expect(project.name == "dynamic-provider-secret" && project.runtime == "nodejs")
        #expect(project.stackConfigDir == "./.config/")
    }

    @Test func readsTemplateSecretKeys() throws {
        let project = try ProjectFileReader().read(Fixture.sample("config/project-template-secret-config/Pulumi.yaml"))
        #expect(project.secretKeys == ["aws-ts-pulumi-miniflux:db_password", "aws-ts-pulumi-miniflux:admin_password"])
        #expect(project.config.map(\.key).contains("aws:region"))
    }

    @Test func readsRuntimeObjectAndTypedDeclarations() throws {
        let project = try ProjectFileReader().read(Fixture.sample("config/project-typed-config/Pulumi.yaml"))
        #expect(project.runtime == "nodejs")
        #expect(project.config.isEmpty && project.secretKeys.isEmpty)
    }

    @Test func readsBackendURL() throws {
        #expect(try ProjectFileReader().read(Fixture.sample("config/project-backend-url/Pulumi.yaml")).backendURL == "file://~")
        let refresh = try ProjectFileReader().read(Fixture.sample("config/project-refresh-option/Pulumi.yaml"))
        #expect(refresh.name == "refreshgo" && refresh.runtime == "go")
        #expect(try ProjectFileReader().read(Fixture.sample("config/openpipe-infra/Pulumi.yaml")).name == "openpipe")
    }

    @Test func readsSecretDeclarationsShorthandValuesAndBOM() throws {
        let root = try Fixture.temporaryDirectory()
        let path = root + "/Pulumi.yaml"
        let text = "name: shop\nruntime:\n  name: python\nstackConfigDir: config\nconfig:\n  dbPassword:\n    type: string\n    secret: true\n  aws:region: us-east-1\n  apiToken:\n    default: abc\n"
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
        let project = try ProjectFileReader().read(path)
        #expect(project.name == "shop" && project.runtime == "python" && project.stackConfigDir == "config")
        #expect(project.secretKeys == ["shop:dbPassword"])
        #expect(project.config.map(\.key) == ["aws:region", "shop:apiToken"])
        #expect(project.config.last?.line == 11)
    }

    @Test func readsJSONProjectFiles() throws {
        let root = try Fixture.temporaryDirectory()
        let path = root + "/Pulumi.json"
        try Data(#"{"name": "shop", "runtime": "go", "backend": {"url": "s3://state"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let project = try ProjectFileReader().read(path)
        #expect(project.name == "shop" && project.backendURL == "s3://state")
    }
}
