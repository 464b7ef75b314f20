import Foundation
import Rampart
import RampartBuiltins
import RampartPolicy
import Testing

@Suite struct PolicySelectionTests {
    let packs = BuiltinPacks.all

    func names(_ packs: [PolicyPack]) -> Set<String> {
        Set(packs.flatMap { pack in pack.policies.map { "\(pack.name)/\($0.descriptor.name)" } })
    }

    @Test func serviceIsTheTokenModuleUpToItsFirstSlash() {
        #expect(PolicyServices.of(typeToken: "aws:s3/bucketV2:BucketV2") == "s3")
        #expect(PolicyServices.of(typeToken: "aws-native:s3:Bucket") == "s3")
        #expect(PolicyServices.of(typeToken: "kubernetes:apps/v1:Deployment") == "apps")
        #expect(PolicyServices.of(typeToken: "kubernetes:apps/*:Deployment") == "apps")
        #expect(PolicyServices.of(typeToken: "azure-native:storage:StorageAccount") == "storage")
        #expect(PolicyServices.of(typeToken: "aws:ec2/launchTemplate:LaunchTemplate") == "ec2")
        #expect(PolicyServices.of(typeToken: "*") == nil)
        #expect(PolicyServices.of(typeToken: "aws:*") == nil)
    }

    @Test func emptySelectionKeepsEveryPack() {
        #expect(names(PolicySelection().apply(to: packs)) == names(packs))
    }

    @Test func severityKeepsOnlyTheListedSeverities() throws {
        let selection = try PolicySelection.parse(severities: ["critical,HIGH"])
        let kept = selection.apply(to: packs).flatMap(\.policies)
        #expect(!kept.isEmpty)
        #expect(kept.allSatisfy { [.critical, .high].contains($0.descriptor.severity) })
        #expect(kept.count == packs.flatMap(\.policies).filter { $0.descriptor.severity >= .high }.count)
    }

    @Test func frameworkMatchesItsFamilyWithOrWithoutControlIds() throws {
        let cis = names(PolicySelection(frameworks: ["cis"]).apply(to: packs))
        #expect(cis.contains("aws/s3-bucket-public-access-block"), "CIS AWS Foundations Benchmark 2.1.5")
        #expect(cis.contains("kubernetes/kubernetes-read-only-root-filesystem"), "CIS Kubernetes Benchmark 5.7.3")
        #expect(!cis.contains("pitfalls/plaintext-secrets-in-config"))
        let pci = names(PolicySelection(frameworks: ["PCI-DSS"]).apply(to: packs))
        #expect(pci.contains("aws/rds-storage-encrypted"))
        #expect(pci.contains("awsguard/elb-logging-enabled"))
        #expect(!pci.contains("aws/lambda-tracing-active"), "upstream tags the tracing checks with no framework")
    }

    @Test func serviceSpansClassicAndNativeProvidersAndDropsServicelessPolicies() {
        let s3 = PolicySelection(services: ["S3"]).apply(to: packs)
        let kept = names(s3)
        #expect(kept.contains("aws/s3-bucket-encryption-enabled"))
        #expect(kept.contains("awsguard/s3-bucket-logging-enabled"))
        #expect(!kept.contains("aws/rds-storage-encrypted"))
        #expect(!kept.contains("pitfalls/plaintext-secrets-in-state"))
        #expect(!s3.contains { $0.policies.isEmpty })
        let gcpStorage = names(PolicySelection(services: ["storage"]).apply(to: packs))
        #expect(gcpStorage.contains("gcp/gcp-storage-public-access-prevention"))
    }

    @Test func stackPoliciesAreSelectedByTheServicesTheyDeclare() {
        let cloudtrail = names(PolicySelection(services: ["cloudtrail"]).apply(to: packs))
        #expect(cloudtrail.contains("aws/account-multi-region-trail"))
        let iam = names(PolicySelection(services: ["iam"]).apply(to: packs))
        #expect(iam.contains("awsguard/iam-role-no-policy-management-conflicts"))
    }

    @Test func criteriaCombineWithAnd() {
        let kept = PolicySelection(frameworks: ["cis"], severities: [.critical], services: ["rds"]).apply(to: packs).flatMap(\.policies)
        #expect(kept.map(\.descriptor.name) == ["rds-not-publicly-accessible"])
    }

    @Test func unknownNamesAreErrorsWithASuggestion() throws {
        #expect(throws: RampartError.self) { try PolicySelection.parse(severities: ["hihg"]) }
        do { _ = try PolicySelection.parse(severities: ["hihg"]) } catch {
            #expect(error.description.hasPrefix("--severity: unknown severity 'hihg' — did you mean 'high'?"))
        }
        do { try PolicySelection(frameworks: ["pcdss"]).validate(against: packs); Issue.record("accepted pcdss") } catch {
            #expect(error.description.hasPrefix("--framework: unknown framework 'pcdss' — did you mean 'pcidss'?"))
        }
        do { try PolicySelection(services: ["rsd"]).validate(against: packs); Issue.record("accepted rsd") } catch {
            #expect(error.description.hasPrefix("--service: unknown service 'rsd' — did you mean 'rds'?"))
        }
        try PolicySelection(frameworks: ["nist", "hitrust", "iso27001"], services: ["apps"]).validate(against: packs)
    }

    @Test func rampartYamlSelectsAndFlagsReplaceItsCriteria() throws {
        let text = "framework: [cis]\nseverity: critical, high\nservice:\n  - s3\n"
        let configuration = try RampartConfiguration.parse(text, path: "rampart.yaml")
        #expect(configuration.selection == PolicySelection(frameworks: ["cis"], severities: [.critical, .high], services: ["s3"]))
        let resolved = try PolicySelection.resolve(flags: PolicySelection(services: ["rds"]), configuration: configuration, packs: packs)
        #expect(resolved == PolicySelection(frameworks: ["cis"], severities: [.critical, .high], services: ["rds"]))
    }

    @Test func rampartYamlNamesTheLineOfAnUnknownName() throws {
        do { _ = try RampartConfiguration.parse("packs: []\nseverity: [high, urgent]\n", path: "rampart.yaml"); Issue.record("accepted") } catch {
            #expect(error.description == "rampart.yaml:2:11: severity: unknown severity 'urgent'; expected one of: low, medium, high, critical")
        }
        let configuration = try RampartConfiguration.parse("service: [s3, lamda]\n", path: "rampart.yaml")
        do { _ = try PolicySelection.resolve(flags: PolicySelection(), configuration: configuration, packs: packs); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix("rampart.yaml:1:10: service: unknown service 'lamda' — did you mean 'lambda'?"))
        }
        // A criterion the flags replace is not checked.
        _ = try PolicySelection.resolve(flags: PolicySelection(services: ["s3"]), configuration: configuration, packs: packs)
    }

    @Test func unknownConfigKeySuggestsTheSelectionKeys() {
        do { _ = try RampartConfiguration.parse("frameworks: [cis]\n", path: "rampart.yaml"); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix("rampart.yaml:1:1: unknown key 'frameworks' — did you mean 'framework'?"))
        }
    }

    @Test func catalogueJSONListsEachPolicysServices() throws {
        let object = try JSONSerialization.jsonObject(with: Data(PolicyCatalog(packs: packs).json())) as! [String: Any]
        let aws = try #require((object["packs"] as! [[String: Any]]).first { $0["name"] as? String == "aws" })
        let policy = try #require((aws["policies"] as! [[String: Any]]).first { $0["name"] as? String == "rds-storage-encrypted" })
        #expect(policy["services"] as? [String] == ["rds"])
    }

    @Test func runSetupKeepsTheSelectedPoliciesAndAlwaysTheRunsOwnChecks() throws {
        var options = RunOptions(packs: ["builtin:aws", "builtin:pitfalls"])
        options.selection = PolicySelection(severities: [.critical], services: ["rds"])
        let setup = try Pipeline().configure(options, for: .scan)
        #expect(names(setup.packs.filter { $0.name != "rampart" }) == ["aws/rds-not-publicly-accessible"])
        let hygiene = try #require(setup.packs.first { $0.name == "rampart" })
        #expect(!hygiene.policies.isEmpty)
    }

    @Test func runSetupReadsTheSelectionFromRampartYaml() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rampart.yaml").path
        try "packs: [builtin:gcp]\nservice: storage\nframework: [cis]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try Pipeline().configure(RunOptions(configPath: path), for: .catalogue)
        let keptPacks = fromFile.packs.filter { $0.name != "rampart" }
        let kept = names(keptPacks)
        #expect(kept.contains("gcp/gcp-storage-public-access-prevention"))
        #expect(!kept.contains("gcp/gcp-storage-bucket-versioning"), "no CIS control")
        #expect(keptPacks.flatMap(\.policies).allSatisfy { PolicyServices.of($0).contains("storage") })
        var options = RunOptions(configPath: path)
        options.selection = PolicySelection(services: ["sql"])
        let replaced = try Pipeline().configure(options, for: .catalogue).packs.filter { $0.name != "rampart" }.flatMap(\.policies)
        #expect(!replaced.isEmpty)
        #expect(replaced.allSatisfy { PolicyServices.of($0).contains("sql") && $0.descriptor.frameworks.contains { $0.family == "cis" } })
    }

    @Test func commandLineSelectsAndRejectsUnknownNames() throws {
        let listed = try CLIProcess.run(["policies", "--format", "json", "--pack", "builtin:aws", "--service", "ecr", "--severity", "medium"])
        #expect(listed.exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any]
        let aws = try #require((object["packs"] as! [[String: Any]]).first { $0["name"] as? String == "aws" })
        let policies = aws["policies"] as! [[String: Any]]
        #expect(!policies.isEmpty)
        #expect(policies.allSatisfy { ($0["services"] as? [String]) == ["ecr"] && $0["severity"] as? String == "medium" })
        let unknown = try CLIProcess.run(["policies", "--framework", "pci-dss,sox"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("--framework: unknown framework 'sox'"))
    }
}
