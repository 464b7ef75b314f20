import Foundation
import Rampart
import RampartEngine
import RampartModel
import RampartPolicy
import Testing

@Suite struct ConfigValidationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/config").path

    /// Parses and checks `yaml` against the test pack; returns the error text, or nil when it is valid.
    func error(_ yaml: String) -> String? {
        do {
            let config = try RampartConfiguration.parse(yaml, path: "rampart.yaml")
            _ = try ConfigurationResolver(packs: [TestPack.pack]).resolve(configuration: config)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func unknownTopLevelKeyIsAnErrorWithASuggestion() {
        #expect(error("packs: []\nstack:\n  \"*\": {}\n")
                == "rampart.yaml:2:1: unknown key 'stack' — did you mean 'stacks'?; expected one of: exemptions, framework, packs, service, severity, stacks")
    }

    @Test func unknownPackInStacksIsAnError() {
        #expect(error("stacks:\n  \"*\":\n    test-pak: { all: mandatory }\n")
                == "rampart.yaml:3:5: stacks.\"*\": unknown policy pack 'test-pak' — did you mean 'test-pack'?; packs in this run: test-pack")
    }

    @Test func unknownPolicyNameIsAnError() {
        #expect(error("stacks:\n  \"*/*/prod\":\n    test-pack:\n      all: mandatory\n      alpah: advisory\n")
                == "rampart.yaml:5:7: unknown policy 'alpah' in pack 'test-pack' — did you mean 'alpha'?")
    }

    @Test func badLevelIsAnError() {
        #expect(error("stacks:\n  \"*\":\n    test-pack: { all: mandatroy }\n")
                == "rampart.yaml:3:23: 'all' of pack 'test-pack': expected one of advisory, mandatory, remediate, disabled, found 'mandatroy'")
    }

    @Test func propertiesAreCheckedAgainstThePolicySchema() {
        #expect(error("stacks:\n  \"*\":\n    test-pack:\n      gamma: { limit: 11 }\n")
                == "rampart.yaml:4:23: policy 'test-pack/gamma' property 'limit': expected at most 10, found 11")
        #expect(error("stacks:\n  \"*\":\n    test-pack:\n      gamma: { limit: \"3\" }\n")
                == "rampart.yaml:4:23: policy 'test-pack/gamma' property 'limit': expected a value of type integer, found 3")
        #expect(error("stacks:\n  \"*\":\n    test-pack:\n      gamma: { mode: loose }\n")
                == "rampart.yaml:4:22: policy 'test-pack/gamma' property 'mode': expected one of strict, lax, found loose")
        #expect(error("stacks:\n  \"*\":\n    test-pack:\n      gamma: { limt: 3 }\n")
                == "rampart.yaml:4:22: unknown property 'limt' for policy 'test-pack/gamma' — did you mean 'limit'?; expected one of: limit, mode")
        #expect(error("stacks:\n  \"*\":\n    test-pack:\n      gamma: { enforcementLevel: mandatory, limit: 4, mode: lax }\n") == nil)
    }

    @Test func exemptionsNeedAReasonAValidDateAndAKnownPolicy() {
        #expect(error("exemptions:\n  - policy: test-pack/beta\n    resources: [\"*\"]\n")
                == "rampart.yaml:2:5: exemption for 'test-pack/beta': 'reason' is required and may not be empty")
        #expect(error("exemptions:\n  - policy: beta\n    reason: r\n    expires: 2027-02-30\n")
                == "rampart.yaml:4:14: expires: expected a date YYYY-MM-DD, found '2027-02-30'")
        #expect(error("exemptions:\n  - policy: test-pack/betta\n    reason: r\n")
                == "rampart.yaml:2:13: exemption: unknown policy 'betta' in pack 'test-pack' — did you mean 'beta'?")
        #expect(error("exemptions:\n  - policy: beta\n    reason: r\n    resource: [\"*\"]\n")
                == "rampart.yaml:4:5: unknown exemption key 'resource' — did you mean 'resources'?; expected one of: expires, policy, reason, resources, stacks, types")
    }

    @Test func malformedYAMLIsReportedWithItsPosition() {
        #expect(error("stacks:\n  \"*\": [\n")?.hasPrefix("rampart.yaml:3:1: invalid YAML") == true)
    }

    @Test func fixtureFileResolvesToLayersAndExemptions() throws {
        let config = try RampartConfiguration.load(path: Self.fixtures + "/rampart.yaml")
        #expect(config.packs.map(\.reference) == ["builtin:awsguard"])
        let packs = try Pipeline().configure(RunOptions(configPath: Self.fixtures + "/rampart.yaml"), for: .host).packs
        let resolved = try ConfigurationResolver(packs: packs).resolve(configuration: config)
        let prod = resolved.resolver.settings(for: packs, stack: StackIdentity(parsing: "acme/web/prod")!)
        let dev = resolved.resolver.settings(for: packs, stack: StackIdentity(parsing: "acme/web/dev")!)
        let backup = PolicyKey(pack: "awsguard", policy: "rds-instance-backup-enabled")
        #expect(prod.levels[backup] == .mandatory)
        #expect(dev.levels[backup] == .advisory)
        #expect(prod.configs[backup]?["backupRetentionPeriod"] == .number(14))
        #expect(dev.levels[PolicyKey(pack: "awsguard", policy: "ec2-volume-inuse")] == .disabled)
        #expect(resolved.exemptions.map(\.source) == [Self.fixtures + "/rampart.yaml:10:5"])
        #expect(resolved.exemptions.first?.expires == "2027-03-31")
    }

    @Test func packPathsAreRelativeToTheConfigFile() throws {
        let config = try RampartConfiguration.parse("packs:\n  - PolicyPacks/baseline\n  - builtin:awsguard\n", path: "/repo/infra/rampart.yaml")
        #expect(config.packs.map(\.reference) == ["/repo/infra/PolicyPacks/baseline", "builtin:awsguard"])
    }

    @Test func unknownPackInPacksIsReportedAtItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-\(UUID().uuidString).yaml").path
        try "packs:\n  - builtin:awsguard\n  - builtin:nope\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Pipeline().configure(RunOptions(configPath: path), for: .scan)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(path):3:5: unknown policy pack 'builtin:nope'"))
        }
    }

    // MARK: - Pulumi --policy-pack-config

    @Test func policyPackConfigIsAGlobalLayerBeforeStackEntries() throws {
        let draft = try PolicyPackConfigFile.load(argument: "awsguard=" + Self.fixtures + "/awsguard-config.json")
        let packs = try Pipeline().configure(RunOptions(packs: ["builtin:awsguard"]), for: .host).packs
        let config = try RampartConfiguration.parse("stacks:\n  \"*/*/dev\":\n    awsguard: advisory\n", path: "rampart.yaml")
        let resolved = try ConfigurationResolver(packs: packs).resolve(configuration: config, policyPackConfigs: [draft])
        let prod = resolved.resolver.settings(for: packs, stack: StackIdentity(parsing: "acme/web/prod")!)
        let dev = resolved.resolver.settings(for: packs, stack: StackIdentity(parsing: "acme/web/dev")!)
        let key = { (name: String) in PolicyKey(pack: "awsguard", policy: name) }
        #expect(prod.levels[key("rds-storage-encrypted")] == .mandatory)
        #expect(prod.levels[key("elb-deletion-protection-enabled")] == .disabled)
        #expect(prod.levels[key("apigateway-endpoint-type")] == .advisory)
        #expect(prod.configs[key("apigateway-endpoint-type")] == PolicyConfig(["allowEdge": .bool(true), "allowRegional": .bool(true), "allowPrivate": .bool(false)]))
        #expect(dev.levels[key("rds-storage-encrypted")] == .advisory)
    }

    @Test func policyPackConfigErrorsAreLocated() {
        func error(_ json: String) -> String? {
            do {
                let draft = try PolicyPackConfigFile.parse(Array(json.utf8), pack: "test-pack", path: "cfg.json")
                _ = try ConfigurationResolver(packs: [TestPack.pack]).resolve(configuration: nil, policyPackConfigs: [draft])
                return nil
            } catch { return error.description }
        }
        #expect(error("  \n") == nil)
        #expect(error("{\"all\": \"mandatory\", \"alpha\": {\"enforcementLevel\": \"advisory\"}}") == nil)
        #expect(error("{\n  \"alpha\": \"strict\"\n}")
                == "cfg.json:2:12: enforcement level for \"alpha\": expected one of advisory, mandatory, remediate, disabled, found 'strict'")
        #expect(error("{\"alpha\": 3}") == "cfg.json:1:11: \"alpha\": must be a string or object")
        #expect(error("{\"gama\": \"advisory\"}") == "cfg.json:1:2: unknown policy 'gama' in pack 'test-pack' — did you mean 'gamma'?")
        #expect(error("{\"gamma\": {\"limit\": 0}}") == "cfg.json:1:21: policy 'test-pack/gamma' property 'limit': expected at least 1, found 0")
    }

    @Test func policyPackConfigForAPackNotInTheRunIsAnError() throws {
        let draft = try PolicyPackConfigFile.parse(Array("{}".utf8), pack: "aws-guard", path: "cfg.json")
        #expect(throws: RampartError.self) {
            try ConfigurationResolver(packs: [TestPack.pack]).resolve(configuration: nil, policyPackConfigs: [draft])
        }
    }
}
