import Rampart
import RampartBuiltins
import RampartPolicy
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
}
