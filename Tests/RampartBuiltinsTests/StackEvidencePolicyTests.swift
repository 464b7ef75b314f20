import Foundation
import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// State exports written for these tests: a root stack, a stack reference with the given outputs, and a secrets
/// provider.
enum StateFixture {
    static func export(stack: String = "prod", provider: String? = #"{"type": "passphrase", "state": {"salt": "v1:AAAA:v1:BBBB:CCCC"}}"#,
                       referenceOutputs: String? = nil) throws -> Stack {
        var resources = [#"{"urn": "urn:pulumi:\#(stack)::web::pulumi:pulumi:Stack::web-\#(stack)", "type": "pulumi:pulumi:Stack", "custom": false}"#]
        if let referenceOutputs {
            resources.append(#"{"urn": "urn:pulumi:\#(stack)::web::pulumi:pulumi:StackReference::acme/db/prod", "type": "pulumi:pulumi:StackReference", "custom": true, "id": "acme/db/prod", "inputs": {"name": "acme/db/prod"}, "outputs": \#(referenceOutputs)}"#)
        }
        let providers = provider.map { #", "secrets_providers": \#($0)"# } ?? ""
        let json = #"{"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "x", "version": "v3.100.0"}\#(providers), "resources": [\#(resources.joined(separator: ", "))]}}"#
        let root = try Fixture.temporaryProject(["state.json": json])
        return try InputReader().read(InputSource(path: root + "/state.json"))
    }
}

@Suite struct UnprotectedStackReferenceTests {
    let policy = UnprotectedStackReferencePolicy()

    func outcomes(_ outputs: String) throws -> [Outcome] {
        let stack = try StateFixture.export(referenceOutputs: outputs)
        return try stack.graph.resources.indices.filter { policy.types.matches(stack.graph.resources[$0].type) }.map {
            try policy.evaluate(ResourceContext(stack: stack, index: $0), config: PolicyConfig())
        }
    }

    @Test func passesWhenSensitiveOutputsAreSecret() throws {
        let secret = #"{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc:def"}"#
        #expect(try outcomes(#"{"name": "acme/db/prod", "outputs": {"endpoint": "db.internal:5432", "dbPassword": \#(secret)}, "secretOutputNames": ["dbPassword"]}"#) == [.pass])
    }

    @Test func findsPlaintextSensitiveOutputs() throws {
        let found = try outcomes(#"{"name": "acme/db/prod", "outputs": {"endpoint": "db.internal:5432", "dbPassword": "Tr0ub4dor-and-3", "apiToken": "x"}, "secretOutputNames": ["apiToken"]}"#)
        #expect(Fixture.messages(found) == [
            "stack reference of 'acme/db/prod' stores 2 sensitive-looking output(s) in plaintext: 'apiToken' (listed in secretOutputNames but stored in plaintext), 'dbPassword' (plaintext value under a secret-looking name (15 characters))",
        ])
        #expect(!Fixture.messages(found).joined().contains("Tr0ub4dor"))
    }

    @Test func isNotApplicableWithoutRecordedOutputs() throws {
        #expect(try outcomes(#"{"name": "acme/db/prod"}"#).map(\.kind) == [.notApplicable])
    }
}

@Suite struct ManagedStateBackendTests {
    let policy = ManagedStateBackendPolicy()

    @Test func passesForServiceAndKMSProviders() throws {
        let service = try StateFixture.export(provider: #"{"type": "service", "state": {"owner": "acme", "project": "web", "stack": "prod"}}"#)
        #expect(try Fixture.evaluate(policy, stack: service, evidence: Evidence()) == [.pass])
        let kms = try StateFixture.export(provider: #"{"type": "cloud", "state": {"url": "awskms://alias/pulumi", "encryptedkey": "AQICAH"}}"#)
        #expect(try Fixture.evaluate(policy, stack: kms, evidence: Evidence()) == [.pass])
        let root = try Fixture.temporaryProject(["Pulumi.yaml": "name: shop\nruntime: nodejs\n",
                                                 "Pulumi.prod.yaml": "secretsprovider: gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k\nencryptedkey: CiQA\n"])
        #expect(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(root)) == [.pass])
    }

    @Test func failsForPassphraseStateStackFilesAndSelfManagedBackends() throws {
        let passphrase = try StateFixture.export()
        #expect(Fixture.messages(try Fixture.evaluate(policy, stack: passphrase, evidence: Evidence()))
                == ["state of stack 'prod' is encrypted with the passphrase provider"])
        let salted = try Fixture.temporaryProject(["Pulumi.yaml": "name: shop\n", "Pulumi.prod.yaml": "encryptionsalt: v1:AAAA:v1:BBBB:CCCC\n"])
        #expect(Fixture.locations(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(salted))) == ["Pulumi.prod.yaml:1:17"])
        let bucket = try Fixture.temporaryProject(["Pulumi.yaml": "name: shop\nbackend:\n  url: s3://acme-state/secret-path\n"])
        let messages = Fixture.messages(try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: try Fixture.evidence(bucket)))
        #expect(messages == ["Pulumi.yaml selects the self-managed backend 's3://' and no cloud KMS secrets provider is set, so secrets use the passphrase provider"])
    }

    @Test func isNotEvaluableWithoutStateOrFiles() throws {
        let outcomes = try Fixture.evaluate(policy, stack: Fixture.stack("prod"), evidence: Evidence(searchedRoot: "infra"))
        #expect(outcomes == [.indeterminate("not evaluable: neither the state nor Pulumi.prod.yaml nor Pulumi.yaml names a secrets provider or backend under infra")])
    }
}

@Suite struct PassphraseProviderFromStateTests {
    @Test func findsPassphraseStateEvenWhenTheStackFileNamesNoProvider() throws {
        let root = try Fixture.temporaryProject(["Pulumi.yaml": "name: web\n", "Pulumi.prod.yaml": "config:\n  aws:region: us-east-1\n"])
        let outcomes = try Fixture.evaluate(PassphraseSecretsProviderPolicy(), stack: try StateFixture.export(), evidence: try Fixture.evidence(root))
        #expect(Fixture.messages(outcomes) == ["state of production stack 'prod' is encrypted with the passphrase secrets provider"])
    }
}

@Suite struct MandatoryPolicyEnforcementTests {
    let policy = MandatoryPolicyEnforcementPolicy()

    func evaluate(_ stack: String, enforcement: StackEnforcement?, groups: [OrganizationSnapshot.PolicyGroup]?) throws -> [Outcome] {
        var evidence = Evidence(organization: groups.map { OrganizationSnapshot(policyGroups: $0) })
        evidence.enforcement = enforcement
        return try Fixture.evaluate(policy, stack: Fixture.stack(stack, project: "web"), evidence: evidence)
    }

    static func group(mode: String, mandatory: [String]) -> OrganizationSnapshot.PolicyGroup {
        OrganizationSnapshot.PolicyGroup(name: "g", mode: mode, stacks: [.init(name: "prod", routingProject: "web")],
                                         appliedPolicyPacks: [.init(name: "aws-baseline", mandatoryPolicies: mandatory)])
    }

    @Test func passesWithAMandatoryPackInConfigOrAPreventativeGroup() throws {
        #expect(try evaluate("prod", enforcement: StackEnforcement(source: "rampart.yaml", mandatoryPolicies: ["aws": ["s3"]]), groups: nil) == [.pass])
        #expect(try evaluate("prod", enforcement: nil, groups: [Self.group(mode: "preventative", mandatory: ["all"])]) == [.pass])
        #expect(try evaluate("dev", enforcement: nil, groups: nil).map(\.kind) == [.notApplicable])
    }

    @Test func failsWhenOnlyAdvisoryOrAuditModeGates() throws {
        let audit = try evaluate("prod", enforcement: StackEnforcement(source: "rampart.yaml", mandatoryPolicies: [:]),
                                 groups: [Self.group(mode: "audit", mandatory: ["all"]), Self.group(mode: "preventative", mandatory: [])])
        #expect(Fixture.messages(audit) == ["production stack 'prod' has no policy pack at mandatory in rampart.yaml or the organisation's policy groups"])
    }

    @Test func isNotEvaluableWithoutConfigOrPolicyGroups() throws {
        #expect(try evaluate("prod", enforcement: nil, groups: nil)
                == [.indeterminate("not evaluable: no rampart.yaml and no organisation policy groups (--org) given")])
    }
}
