import Foundation
import GRPCCore
import PulumiRPC
import RampartModel
import SwiftProtobuf
import Testing

/// Each test starts the fixture analyzer as Pulumi would and makes the engine's calls in its order:
/// Handshake, ConfigureStack, GetAnalyzerInfo, GetPluginInfo, Configure, then Remediate/Analyze per resource and
/// AnalyzeStack once.
@Suite struct AnalyzerProtocolTests {
    typealias H = AnalyzerHarness
    static let subnetPolicy = "fixture-guard/subnet-no-public-ip"

    /// The opening calls, up to `Configure` (skipped when `config` is empty, as the engine skips it).
    static func open(_ analyzer: Pulumirpc_Analyzer.Client<some ClientTransport>,
                     config: [String: Pulumirpc_PolicyConfig] = [:]) async throws -> Pulumirpc_AnalyzerInfo {
        var handshake = Pulumirpc_AnalyzerHandshakeRequest()
        handshake.engineAddress = "127.0.0.1:1"
        _ = try await analyzer.handshake(handshake)
        var stack = Pulumirpc_AnalyzerStackConfigureRequest()
        stack.organization = "acme"
        stack.project = "ts-nlb-simple"
        stack.stack = "test"
        stack.dryRun = true
        _ = try await analyzer.configureStack(stack)
        let info = try await analyzer.getAnalyzerInfo(Google_Protobuf_Empty())
        _ = try await analyzer.getPluginInfo(Google_Protobuf_Empty())
        if !config.isEmpty {
            var request = Pulumirpc_ConfigureAnalyzerRequest()
            request.policyConfig = config
            _ = try await analyzer.configure(request)
        }
        return info
    }

    @Test func describesCombinedPackWithPrefixedPoliciesLevelsSeverityAndSchema() async throws {
        let info = try await H.withAnalyzer("combined") { try await Self.open($0) }
        #expect(info.name == "combined")
        #expect(info.version == "2.0.0")
        #expect(info.description_p == "Two test packs served as one")
        #expect(info.supportsConfig)
        #expect(info.policies.map(\.name) == [
            "fixture-guard/password-min-length", "fixture-guard/sql-admin-password", "fixture-guard/subnet-no-public-ip",
            "fixture-stack/generated-password-secret", "fixture-stack/no-internet-routes", "fixture-stack/stack-size",
        ])
        let byName = Dictionary(uniqueKeysWithValues: info.policies.map { ($0.name, $0) })
        let sql = try #require(byName["fixture-guard/sql-admin-password"])
        #expect(sql.enforcementLevel == .mandatory)
        #expect(sql.severity == .critical)
        #expect(sql.policyType == .resource)
        #expect(sql.description_p == "SQL admin passwords are secret and long.")
        #expect(byName["fixture-guard/subnet-no-public-ip"]?.enforcementLevel == .advisory)
        #expect(byName["fixture-stack/stack-size"]?.policyType == .stack)
        let schema = try #require(byName["fixture-guard/password-min-length"]?.configSchema)
        let minLength = try #require(schema.properties.fields["minLength"])
        #expect(minLength.structValue.fields == [
            "type": Google_Protobuf_Value(stringValue: "integer"), "description": Google_Protobuf_Value(stringValue: "shortest allowed"),
            "default": Google_Protobuf_Value(numberValue: 12), "minimum": Google_Protobuf_Value(numberValue: 1),
        ])
        #expect(schema.required.isEmpty)
    }

    @Test func singlePackKeepsItsNameVersionAndPolicyNames() async throws {
        let info = try await H.withAnalyzer("single") { try await Self.open($0) }
        #expect(info.name == "fixture-guard")
        #expect(info.version == "1.2.3")
        #expect(info.policies.map(\.name) == ["password-min-length", "sql-admin-password", "subnet-no-public-ip"])
    }

    @Test func analyzeReportsViolationsAtTheLevelsSentThroughConfigure() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let subnets = stack.graph.indexes(ofType: "aws:ec2/subnet:Subnet")
        try #require(subnets.count == 3)
        let (defaults, configured) = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer)
            let before = try await analyzer.analyze(try H.analyzeRequest(stack, subnets[0]))
            var config = Pulumirpc_ConfigureAnalyzerRequest()
            config.policyConfig = [Self.subnetPolicy: H.policyConfig(.mandatory),
                                   "fixture-guard/password-min-length": H.policyConfig(.disabled)]
            _ = try await analyzer.configure(config)
            var after: [Pulumirpc_AnalyzeResponse] = []
            for index in subnets { after.append(try await analyzer.analyze(try H.analyzeRequest(stack, index))) }
            return (before, after)
        }
        let first = try #require(defaults.diagnostics.first)
        #expect(defaults.diagnostics.count == 1)
        #expect(first.policyName == Self.subnetPolicy)
        #expect(first.policyPackName == "combined")
        #expect(first.policyPackVersion == "2.0.0")
        #expect(first.enforcementLevel == .advisory)
        #expect(first.severity == .high)
        #expect(first.urn == stack.graph.resources[subnets[0]].urn.rawValue)
        #expect(first.message == "Subnets do not assign public IPs.\nsubnet '\(stack.graph.resources[subnets[0]].name)' maps public IPs on launch")
        // Policies for other types are listed as not applicable, so Pulumi does not count them as passed.
        #expect(defaults.notApplicable.map(\.policyName) == ["fixture-guard/password-min-length", "fixture-guard/sql-admin-password"])
        #expect(defaults.notApplicable[0].reason == "Policy only applies to resources of type 'random:index/randomPassword:RandomPassword'")

        #expect(configured.map(\.diagnostics.count) == [1, 1, 1])
        #expect(configured.allSatisfy { $0.diagnostics[0].enforcementLevel == .mandatory })
        #expect(Set(configured.map(\.diagnostics[0].urn)) == Set(subnets.map { stack.graph.resources[$0].urn.rawValue }))
        // A disabled policy is neither run nor listed.
        #expect(configured[0].notApplicable.map(\.policyName) == ["fixture-guard/sql-admin-password"])
    }

    @Test func configurePropertiesReachThePolicy() async throws {
        let stack = try H.stack("random-password-plaintext-secrets.json")
        let index = try #require(stack.graph.indexes(ofType: "random:index/randomPassword:RandomPassword").first)
        let (defaults, configured) = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer)
            let before = try await analyzer.analyze(try H.analyzeRequest(stack, index))
            var config = Pulumirpc_ConfigureAnalyzerRequest()
            config.policyConfig = ["fixture-guard/password-min-length":
                                    H.policyConfig(.mandatory, ["minLength": Google_Protobuf_Value(numberValue: 20)])]
            _ = try await analyzer.configure(config)
            return (before, try await analyzer.analyze(try H.analyzeRequest(stack, index)))
        }
        #expect(defaults.diagnostics.isEmpty)  // length 16 passes the default of 12
        let diagnostic = try #require(configured.diagnostics.first)
        #expect(diagnostic.message.hasSuffix("length 16 is below 20"))
        #expect(diagnostic.enforcementLevel == .mandatory)
    }

    @Test func secretsOnTheWireReachPoliciesAsSecretsAndNeverTheDiagnostic() async throws {
        let stack = try H.stack("azure-sql-random-password.json")
        let index = try #require(stack.graph.indexes(ofType: "azure:sql/sqlServer:SqlServer").first)
        let request = try H.analyzeRequest(stack, index)
        // The request carries the secret in the engine's signature form.
        let password = try #require(request.properties.fields["administratorLoginPassword"])
        #expect(try password.jsonString().contains(#""value":"REDACTED BY PROVIDERTEST""#))
        let response = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer)
            return try await analyzer.analyze(request)
        }
        let diagnostic = try #require(response.diagnostics.first)
        #expect(diagnostic.policyName == "fixture-guard/sql-admin-password")
        #expect(diagnostic.enforcementLevel == .mandatory)
        #expect(diagnostic.severity == .critical)
        #expect(diagnostic.message.contains("password '[secret]' has 24 characters"))
        #expect(!diagnostic.message.contains("REDACTED BY PROVIDERTEST"))
    }

    @Test func unknownsAreNotViolationsUnlessThePackAsksForThem() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let subnet = try #require(stack.graph.indexes(ofType: "aws:ec2/subnet:Subnet").first)
        var request = try H.analyzeRequest(stack, subnet)
        request.properties.fields["mapPublicIpOnLaunch"] = Google_Protobuf_Value(stringValue: PulumiSignature.unknown)
        let mandatory = [Self.subnetPolicy: H.policyConfig(.mandatory)]
        let hidden = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer, config: mandatory)
            return try await analyzer.analyze(request)
        }
        #expect(hidden.diagnostics.isEmpty)
        let skipped = try #require(hidden.notApplicable.first { $0.policyName == Self.subnetPolicy })
        #expect(skipped.reason == "indeterminate: mapPublicIpOnLaunch is not known until the subnet is created")

        // PulumiPolicy.yaml `runtime.options.indeterminate: advisory` opts in; the level is advisory even when the
        // policy is mandatory, since nothing was found yet.
        let reported = try await H.withAnalyzer("indeterminate") { analyzer in
            _ = try await Self.open(analyzer, config: ["subnet-no-public-ip": H.policyConfig(.mandatory)])
            return try await analyzer.analyze(request)
        }
        let diagnostic = try #require(reported.diagnostics.first)
        #expect(diagnostic.policyName == "subnet-no-public-ip")
        #expect(diagnostic.enforcementLevel == .advisory)
        #expect(diagnostic.message.contains("cannot be decided yet: mapPublicIpOnLaunch is not known"))
    }

    @Test func analyzeStackAttributesStackPoliciesToResourcesAndTheRootStack() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let response = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer, config: ["fixture-stack/no-internet-routes": H.policyConfig(.mandatory)])
            return try await analyzer.analyzeStack(try H.analyzeStackRequest(stack))
        }
        let routes = response.diagnostics.filter { $0.policyName == "fixture-stack/no-internet-routes" }
        let routeURNs = stack.graph.indexes(ofType: "aws:ec2/route:Route").map { stack.graph.resources[$0].urn.rawValue }
        #expect(routes.map(\.urn).sorted() == routeURNs.sorted())
        #expect(routes.allSatisfy { $0.enforcementLevel == .mandatory && $0.severity == .low })
        // Parent links made it across: each message names the route's parent route table.
        #expect(Set(routes.map { $0.message.split(separator: "\n")[1] }) == [
            "route under 'test-vpc-public-1' goes through an internet gateway",
            "route under 'test-vpc-public-2' goes through an internet gateway",
            "route under 'test-vpc-public-3' goes through an internet gateway",
        ])
        let size = try #require(response.diagnostics.first { $0.policyName == "fixture-stack/stack-size" })
        #expect(size.urn == "urn:pulumi:test::ts-nlb-simple::pulumi:pulumi:Stack::ts-nlb-simple-test")
        #expect(size.message == "Stacks stay small.\n23 resources, more than 10")
        #expect(response.notApplicable.map(\.policyName) == ["fixture-stack/generated-password-secret"])
        #expect(!response.diagnostics.contains { $0.policyName.hasPrefix("fixture-guard/") })
    }

    @Test func analyzeStackSeesSecretOutputsAndRedactsThem() async throws {
        let stack = try H.stack("random-password-plaintext-secrets.json")
        let index = try #require(stack.graph.indexes(ofType: "random:index/randomPassword:RandomPassword").first)
        let result = try #require(stack.graph.resources[index].outputs?["result"]?.secret)
        guard case .decrypted(let plaintext) = result else { Issue.record("sample result is not a decrypted secret"); return }
        let text = try #require(plaintext.string)
        let response = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer)
            return try await analyzer.analyzeStack(try H.analyzeStackRequest(stack))
        }
        let diagnostic = try #require(response.diagnostics.first { $0.policyName == "fixture-stack/generated-password-secret" })
        #expect(diagnostic.urn == stack.graph.resources[index].urn.rawValue)
        #expect(diagnostic.message.hasSuffix("result '[secret]' is secret but only \(text.count) characters long"))
        #expect(!diagnostic.message.contains(text))
    }

    @Test func remediateReturnsTheFixOnlyAtTheRemediateLevel() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let subnet = try #require(stack.graph.indexes(ofType: "aws:ec2/subnet:Subnet").first)
        let request = try H.analyzeRequest(stack, subnet)
        let (advisory, remediated, analyzed) = try await H.withAnalyzer("combined") { analyzer in
            _ = try await Self.open(analyzer)
            let before = try await analyzer.remediate(request)
            var config = Pulumirpc_ConfigureAnalyzerRequest()
            config.policyConfig = [Self.subnetPolicy: H.policyConfig(.remediate)]
            _ = try await analyzer.configure(config)
            let fixed = try await analyzer.remediate(request)
            var next = request
            if let properties = fixed.remediations.first?.properties { next.properties = properties }
            return (before, fixed, try await analyzer.analyze(next))
        }
        #expect(advisory.remediations.isEmpty)
        let fix = try #require(remediated.remediations.first)
        #expect(fix.policyName == Self.subnetPolicy)
        #expect(fix.properties.fields["mapPublicIpOnLaunch"]?.kind == .boolValue(false))
        #expect(fix.properties.fields["cidrBlock"] == request.properties.fields["cidrBlock"])
        #expect(analyzed.diagnostics.isEmpty)
    }

    @Test func executableRejectsADirectoryWithoutPacks() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-analyzer-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: H.executable("rampart-analyzer"))
        process.arguments = ["127.0.0.1:1", empty.path]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(message.contains("no rampart.yaml naming packs and no Rampart YAML pack"))
    }
}

/// rampart.yaml's per-stack settings and exemptions, for the stack `ConfigureStack` names.
@Suite struct AnalyzerRampartConfigTests {
    typealias H = AnalyzerHarness

    @Test func perStackLevelsAndPropertiesBecomePulumiDefaultsAndExemptionsApply() async throws {
        let stack = try H.stack("awsx-vpc-nlb-components.json")
        let subnets = stack.graph.indexes(ofType: "aws:ec2/subnet:Subnet")
        let byName = Dictionary(uniqueKeysWithValues: subnets.map { (stack.graph.resources[$0].name, $0) })
        let (info, flagged, exempted) = try await H.withAnalyzer("perstack") { analyzer in
            let info = try await AnalyzerProtocolTests.open(analyzer)  // stack acme/ts-nlb-simple/test
            let flagged = try await analyzer.analyze(try H.analyzeRequest(stack, byName["test-vpc-public-1"]!))
            let exempted = try await analyzer.analyze(try H.analyzeRequest(stack, byName["test-vpc-public-2"]!))
            return (info, flagged, exempted)
        }
        let subnetInfo = try #require(info.policies.first { $0.name == "fixture-guard/subnet-no-public-ip" })
        #expect(subnetInfo.enforcementLevel == .mandatory)
        let initial = try #require(info.initialConfig["fixture-guard/password-min-length"])
        #expect(initial.properties.fields["minLength"]?.numberValue == 20)
        #expect(info.initialConfig["fixture-guard/subnet-no-public-ip"] == nil)
        #expect(flagged.diagnostics.map(\.enforcementLevel) == [.mandatory])
        #expect(exempted.diagnostics.isEmpty)
    }
}

/// The shipped example, served by the real executable with the real built-in packs.
@Suite struct AnalyzerSampleTests {
    typealias H = AnalyzerHarness

    @Test func shippedSampleServesAWSGuardAndItsConfigNamesRealPolicies() async throws {
        let sample = H.repository.appendingPathComponent("Samples/pulumi-analyzer")
        let info = try await H.withAnalyzer(executable: "rampart-analyzer", directory: sample.path) { analyzer in
            try await AnalyzerProtocolTests.open(analyzer)  // stack acme/ts-nlb-simple/test: the "*" entry applies
        }
        #expect(info.name == "awsguard")
        #expect(info.version == "0.1.0")
        #expect(info.policies.count >= 20)
        #expect(info.policies.allSatisfy { $0.enforcementLevel == .advisory })
        let config = try Google_Protobuf_Struct(jsonString: String(
            decoding: try Data(contentsOf: sample.appendingPathComponent("policy-config.json")), as: UTF8.self))
        let names = Set(info.policies.map(\.name))
        for key in config.fields.keys where key != "all" { #expect(names.contains(key), "unknown policy \(key)") }
        let backup = try #require(info.policies.first { $0.name == "rds-instance-backup-enabled" })
        #expect(backup.configSchema.properties.fields["backupRetentionPeriod"] != nil)
    }
}

/// A pack directory that is itself a Rampart YAML pack (no rampart.yaml), served by the real executable.
@Suite struct AnalyzerYAMLPackTests {
    typealias H = AnalyzerHarness

    @Test func servesAYAMLPackDirectory() async throws {
        let directory = H.repository.appendingPathComponent("PolicyPacks/aws-storage-network")
        let info = try await H.withAnalyzer(executable: "rampart-analyzer", directory: directory.path) { analyzer in
            try await AnalyzerProtocolTests.open(analyzer)
        }
        #expect(info.name == "aws-storage-network")
        #expect(info.version == "1.0.0")
        let policy = try #require(info.policies.first { $0.name == "security-group-no-admin-ports-from-internet" })
        #expect(policy.enforcementLevel == .mandatory)
        #expect(policy.severity == .critical)
        #expect(policy.framework.name == "CIS AWS Foundations")
    }
}
