import Rampart
import RampartBuiltins
import RampartPolicy
import Foundation
import Testing

@Suite struct PolicyCatalogTests {
    let catalog = PolicyCatalog(packs: BuiltinPacks.all)

    @Test func listingShowsEveryPolicyWithLevelSeverityAndDescription() {
        let text = catalog.listing()
        #expect(text.contains("awsguard 1.0.0 (builtin:awsguard, default level advisory)"))
        #expect(text.contains("  rds-instance-public-access                   advisory   critical  RDS instances are not publicly accessible.\n"))
    }

    @Test func explainPrintsRationaleRemediationConfigAndExamples() throws {
        let text = try catalog.explain("awsguard/rds-instance-backup-enabled")
        #expect(text.hasPrefix("awsguard/rds-instance-backup-enabled\n"))
        #expect(text.contains("\nRationale\n"))
        #expect(text.contains("\nRemediation\n"))
        #expect(text.contains("  backupRetentionPeriod (integer, min 1): Required retention period in days.\n"))
        #expect(text.contains("  checkReadReplicas (boolean, default true): Also check read replicas.\n"))
        #expect(text.contains("\nExamples\n  pass\n    aws:rds/instance:Instance example: {\"backupRetentionPeriod\": 7}\n"))
    }

    @Test func explainOfAnUnknownPolicySuggestsTheClosestName() {
        #expect(throws: RampartError.self) { try catalog.explain("rds-instance-publc-access") }
        do { _ = try catalog.explain("rds-instance-publc-access") } catch {
            #expect(error.description.hasSuffix("did you mean 'rds-instance-public-access'?"))
        }
    }

    @Test func jsonCatalogueListsEveryPolicyWithTypesFrameworksAndEquivalents() throws {
        let object = try JSONSerialization.jsonObject(with: Data(catalog.json())) as! [String: Any]
        let packs = object["packs"] as! [[String: Any]]
        #expect(packs.map { $0["name"] as! String } == packs.map { $0["name"] as! String }.sorted())
        let count = packs.reduce(0) { $0 + ($1["policies"] as! [[String: Any]]).count }
        #expect(count == BuiltinPacks.all.reduce(0) { $0 + $1.policies.count })
        let awsguard = try #require(packs.first { $0["name"] as? String == "awsguard" })
        let policies = awsguard["policies"] as! [[String: Any]]
        let rds = try #require(policies.first { $0["name"] as? String == "rds-instance-public-access" })
        #expect(rds["severity"] as? String == "critical")
        #expect(rds["enforcementLevel"] as? String == "advisory")
        #expect(rds["kind"] as? String == "resource")
        #expect((rds["resourceTypes"] as? [String])?.contains("aws:rds/instance:Instance") == true)
        let equivalents = try #require(rds["equivalents"] as? [[String: String]])
        #expect(equivalents.contains(["source": "awsguard", "policy": "rds-instance-public-access"]))
        let aws = try #require(packs.first { $0["name"] as? String == "aws" })
        let withCIS = (aws["policies"] as! [[String: Any]]).first { ($0["frameworks"] as? [[String: Any]])?.isEmpty == false }
        let framework = try #require((withCIS?["frameworks"] as? [[String: Any]])?.first)
        #expect(framework["name"] as? String == "CIS AWS Foundations Benchmark")
        #expect(framework["control"] is String)
    }
}
