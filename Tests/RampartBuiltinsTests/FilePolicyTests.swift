import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

@Suite struct PlaintextSecretsInConfigTests {
    let policy = PlaintextSecretsInConfigPolicy()

    @Test func findsRecaptchaSecretKeyButNotSecureOrEmptyValues() throws {
        let evidence = Evidence(stackFiles: [try StackConfigReader().read(
            Fixture.samples + "/config/selfhosted-90-pulumi-service/Pulumi.dev.yaml", projectName: "selfhosted-90-pulumi-service")])
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: evidence)
        #expect(Fixture.locations(outcomes) == ["Pulumi.dev.yaml:21:52"])
        #expect(Fixture.messages(outcomes).first?.contains("recaptchaSecretKey") == true)
    }

    @Test func findsStorageAccessKey() throws {
        let evidence = Evidence(stackFiles: [try StackConfigReader().read(
            Fixture.samples + "/config/selfhosted-local-docker/Pulumi.local-docker-deploy.yaml", projectName: nil)])
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("local-docker-deploy"), evidence: evidence)
        #expect(Fixture.locations(outcomes) == ["Pulumi.local-docker-deploy.yaml:23:52"])
        #expect(Fixture.messages(outcomes).first?.contains("storageAccessKey") == true)
    }

    @Test func findsPasswordInLegacyConfigDirectory() throws {
        let evidence = try Fixture.evidence(Fixture.samples + "/config/dynamic-provider-secrets")
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: evidence)
        #expect(Fixture.locations(outcomes) == ["Pulumi.dev.yaml:2:37"])
    }

    @Test(arguments: ["openpipe-infra/Pulumi.prod.yaml", "selfhosted-05-eks-cluster/Pulumi.dev.yaml",
                      "automation-all-secret-fields/Pulumi.dev.yaml", "automation-testproj/Pulumi.int_test_983828.yaml"])
    func passesFilesWithoutPlaintextSecrets(path: String) throws {
        let file = try StackConfigReader().read(Fixture.samples + "/config/" + path, projectName: "p")
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack(file.stackName), evidence: Evidence(stackFiles: [file]))
        #expect(outcomes.map(\.kind) == [.pass])
    }

    @Test func findsProjectFileDefaultsAndNestedValues() throws {
        let root = try Fixture.temporaryProject([
            "Pulumi.yaml": "name: shop\nconfig:\n  apiToken:\n    default: Zebra-Lamp-77\n",
            "Pulumi.dev.yaml": "config:\n  shop:db:\n    host: db\n    password: Tr0ub4dor-and-3\n",
        ])
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: try Fixture.evidence(root))
        #expect(Fixture.locations(outcomes) == ["Pulumi.yaml:4:14", "Pulumi.dev.yaml:4:15"])
        #expect(Fixture.messages(outcomes).last == "Pulumi.dev.yaml: 'shop:db.password' has a plaintext value (15 characters) under a secret-looking name")
    }

    @Test func leavesProjectFileFindingsToTheOwningStack() throws {
        let root = try Fixture.temporaryProject([
            "Pulumi.yaml": "name: shop\nconfig:\n  apiToken:\n    default: Zebra-Lamp-77\n",
            "Pulumi.prod.yaml": "config:\n  aws:region: us-east-1\n",
        ])
        var evidence = try Fixture.evidence(root)
        evidence.projectFilesOwner = "shop/dev"
        #expect(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: evidence).map(\.kind) == [.pass])
        evidence.projectFilesOwner = "shop/prod"
        #expect(Fixture.locations(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: evidence)) == ["Pulumi.yaml:4:14"])
    }

    @Test func isIndeterminateWithoutFiles() throws {
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: Evidence(searchedRoot: "infra"))
        #expect(outcomes == [.indeterminate("not evaluable: no Pulumi.yaml or Pulumi.dev.yaml found under infra")])
    }
}

@Suite struct StaticCloudKeysInCITests {
    let policy = StaticCloudKeysInCIPolicy()

    @Test func findsStaticAndLiteralKeysInGitHubAndGitLab() throws {
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(Fixture.root + "/ci-static"))
        #expect(Fixture.locations(outcomes) == ["deploy.yml:10:26", "deploy.yml:14:30", "deploy.yml:15:34", "deploy.yml:19:29",
                                                "deploy.yml:23:24", ".gitlab-ci.yml:2:22", ".gitlab-ci.yml:5:5"])
        let messages = Fixture.messages(outcomes)
        #expect(messages[1] == "deploy.yml: 'aws-access-key-id' is a literal AWS credential written in the workflow file")
        #expect(messages[0] == "deploy.yml: job 'deploy' receives a static AZURE key through 'ARM_CLIENT_SECRET' and does not use OIDC")
    }

    @Test func passesOIDCWorkflows() throws {
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(Fixture.root + "/ci-oidc"))
        #expect(outcomes.map(\.kind) == [.pass])
    }

    @Test func isIndeterminateWithoutWorkflows() throws {
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: Evidence(searchedRoot: "."))
        #expect(outcomes == [.indeterminate("not evaluable: no CI workflows found under .")])
    }
}

@Suite struct PassphraseSecretsProviderTests {
    let policy = PassphraseSecretsProviderPolicy()

    @Test func findsEncryptionSaltOnProductionStacks() throws {
        let root = try Fixture.temporaryProject(["Pulumi.yaml": "name: shop\n",
                                                 "Pulumi.prod-eu.yaml": "encryptionsalt: v1:abc=:v1:def:ghi\nconfig: {}\n"])
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("prod-eu"), evidence: try Fixture.evidence(root))
        #expect(Fixture.locations(outcomes) == ["Pulumi.prod-eu.yaml:1:17"])
    }

    @Test func skipsStacksOutsideThePattern() throws {
        let file = try StackConfigReader().read(Fixture.samples + "/config/selfhosted-05-eks-cluster/Pulumi.dev.yaml", projectName: "p")
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: Evidence(stackFiles: [file]))
        #expect(outcomes.map(\.kind) == [.notApplicable])
        let custom = try Fixture.evaluate(policy, stack: Fixture.stack("dev"), evidence: Evidence(stackFiles: [file]),
                                          config: PolicyConfig(["productionStackPattern": .string("dev")]))
        #expect(Fixture.locations(custom) == ["Pulumi.dev.yaml:1:17"])
    }

    @Test func readsTheStateProviderWithoutAStackFile() throws {
        let passphrase = try Fixture.evaluate(policy, stack: Fixture.stack("prod", secretsProvider: SecretsProviderInfo(type: "passphrase")), evidence: .none)
        #expect(passphrase.map(\.kind) == [.violation])
        let service = try Fixture.evaluate(policy, stack: Fixture.stack("prod", secretsProvider: SecretsProviderInfo(type: "service")), evidence: .none)
        #expect(service.map(\.kind) == [.pass])
        #expect(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: .none).map(\.kind) == [.indeterminate])
    }

    @Test func passesKMSProviders() throws {
        let root = try Fixture.temporaryProject(["Pulumi.prod.yaml": "secretsprovider: awskms://alias/pulumi\nencryptedkey: AQICAHg\n"])
        #expect(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(root)).map(\.kind) == [.pass])
    }
}

@Suite struct HardeningFilePolicyTests {
    @Test func configSecretsEncryptedFlagsDeclaredSecretsSetInPlaintext() throws {
        let root = try Fixture.temporaryProject([
            "Pulumi.yaml": "name: shop\nconfig:\n  adminLogin:\n    secret: true\n",
            "Pulumi.dev.yaml": "config:\n  shop:adminLogin: ops\n  shop:dbPassword:\n    secure: v1:abc\n",
        ])
        let outcomes = try Fixture.evaluate(ConfigSecretsEncryptedPolicy(), stack: Fixture.stack("dev"), evidence: try Fixture.evidence(root))
        #expect(Fixture.locations(outcomes) == ["Pulumi.dev.yaml:2:20"])
        #expect(Fixture.messages(outcomes) == ["Pulumi.dev.yaml: 'shop:adminLogin' is declared `secret: true` in the project but set in plaintext"])
    }

    @Test func configSecretsEncryptedPassesSecureSample() throws {
        let file = try StackConfigReader().read(Fixture.samples + "/config/openpipe-infra/Pulumi.prod.yaml", projectName: "openpipe")
        #expect(try Fixture.evaluate(ConfigSecretsEncryptedPolicy(), stack: Fixture.stack("prod"), evidence: Evidence(stackFiles: [file])).map(\.kind) == [.pass])
        #expect(try Fixture.evaluate(ConfigSecretsEncryptedPolicy(), stack: Fixture.stack("qa"), evidence: Evidence(stackFiles: [file])).map(\.kind) == [.indeterminate])
    }

    @Test func escForSecretsWantsImportsWhenSecretsAreHeld() throws {
        let file = try StackConfigReader().read(Fixture.samples + "/config/openpipe-infra/Pulumi.prod.yaml", projectName: "openpipe")
        let outcomes = try Fixture.evaluate(ESCForSecretsPolicy(), stack: Fixture.stack("prod"), evidence: Evidence(stackFiles: [file]))
        #expect(Fixture.locations(outcomes) == ["Pulumi.prod.yaml:4:3"])
        #expect(Fixture.messages(outcomes) == ["Pulumi.prod.yaml holds 26 secure: values and imports no ESC environment"])
        var withImports = file
        withImports.environmentImports = ["openpipe/prod"]
        #expect(try Fixture.evaluate(ESCForSecretsPolicy(), stack: Fixture.stack("prod"), evidence: Evidence(stackFiles: [withImports])).map(\.kind) == [.pass])
        let plain = try StackConfigReader().read(Fixture.samples + "/config/selfhosted-05-eks-cluster/Pulumi.dev.yaml", projectName: "p")
        #expect(try Fixture.evaluate(ESCForSecretsPolicy(), stack: Fixture.stack("dev"), evidence: Evidence(stackFiles: [plain])).map(\.kind) == [.pass])
    }

    @Test func dynamicProviderCredentialsFindsConfigKeysEvenWhenSecure() throws {
        let root = try Fixture.temporaryProject([
            "Pulumi.prod.yaml": "config:\n  aws:region: us-east-1\n  aws:secretKey:\n    secure: v1:abc\n  gcp:credentials: ./sa.json\n",
            ".github/workflows/d.yml": "on: push\njobs:\n  d:\n    permissions: {id-token: write}\n    steps:\n      - uses: pulumi/auth-actions@v1\n",
        ])
        let outcomes = try Fixture.evaluate(DynamicProviderCredentialsPolicy(), stack: Fixture.stack("prod"), evidence: try Fixture.evidence(root))
        #expect(Fixture.locations(outcomes) == ["Pulumi.prod.yaml:3:3", "Pulumi.prod.yaml:5:20"])
    }

    @Test func dynamicProviderCredentialsFindsProviderResourcesAndCI() throws {
        var provider = Resource(urn: URN("urn:pulumi:prod::shop::pulumi:providers:aws::legacy")!)
        provider.inputs = try PropertyValue.parse(json: #"{"region": "us-east-1", "accessKey": "x", "secretKey": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:a"}}"#)
        let stack = Fixture.stack("prod", resources: [provider])
        let evidence = try Fixture.evidence(Fixture.root + "/ci-static")
        let outcomes = try Fixture.evaluate(DynamicProviderCredentialsPolicy(), stack: stack, evidence: evidence)
        #expect(Fixture.messages(outcomes).first == "provider 'legacy' is configured with static credentials: accessKey, secretKey")
        // PULUMI_ACCESS_TOKEN counts here (CI should use OIDC for Pulumi Cloud too), not in static-cloud-keys-in-ci.
        #expect(Fixture.messages(outcomes).contains { $0.contains("'PULUMI_ACCESS_TOKEN'") })
        let oidc = try Fixture.evaluate(DynamicProviderCredentialsPolicy(), stack: Fixture.stack("prod"), evidence: try Fixture.evidence(Fixture.root + "/ci-oidc"))
        #expect(oidc.map(\.kind) == [.indeterminate])  // workflows are clean but there is no stack file or state
    }
}
