import Foundation
import Rampart
import RampartBuiltins
import Testing

/// `docs/policies.md` carries a table generated from the built-in policies; this keeps it current.
@Suite struct PolicyDocsTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/policies.md").path

    @Test func policiesDocumentTableIsCurrent() throws {
        let document = try String(contentsOfFile: Self.path, encoding: .utf8)
        let regenerated = try #require(PolicyCatalog(packs: BuiltinPacks.all).regenerate(document), "generated markers missing in docs/policies.md")
        if ProcessInfo.processInfo.environment["RAMPART_RECORD_DOCS"] == "1" {
            try regenerated.write(toFile: Self.path, atomically: true, encoding: .utf8)
            return
        }
        #expect(document == regenerated, "docs/policies.md is stale: run RAMPART_RECORD_DOCS=1 swift test --filter PolicyDocsTests")
    }

    @Test func tableListsEveryBuiltinPolicyWithItsTokensFrameworksAndEquivalents() {
        let table = PolicyCatalog(packs: BuiltinPacks.all).markdownTable()
        for pack in BuiltinPacks.all {
            for policy in pack.policies { #expect(table.contains("| \(pack.name) | `\(policy.descriptor.name)` |")) }
        }
        #expect(table.contains("| aws | `s3-bucket-public-access-block` | high | advisory | `aws-native:s3:Bucket`<br>`aws:s3/bucket:Bucket`<br>`aws:s3/bucketV2:BucketV2` | CIS AWS Foundations Benchmark 1.5.0 2.1.5<br>NIST SP 800-53 Rev. 5 SC-7 |  |"))
        #expect(table.contains("| aws | `account-multi-region-trail` | high | disabled | stack | CIS AWS Foundations Benchmark 1.5.0 3.1<br>NIST SP 800-53 Rev. 5 AU-12 |  |"))
        #expect(table.contains("| `rds-storage-encrypted` | high | advisory | `aws-native:rds:DbCluster`<br>`aws-native:rds:DbInstance`<br>`aws:rds/cluster:Cluster`<br>`aws:rds/instance:Instance` | CIS AWS Foundations Benchmark 1.5.0 2.3.1<br>hitrust<br>iso27001<br>pcidss<br>NIST SP 800-53 Rev. 5 SC-28 | compliance: `aws-rds-cluster-disallow-unencrypted-storage`<br>compliance: `aws-rds-instance-disallow-unencrypted-storage`<br>compliance: `awsnative-rds-dbcluster-disallow-unencrypted-storage`<br>compliance: `awsnative-rds-dbinstance-disallow-unencrypted-storage`<br>awsguard: `rds-storage-encrypted` |"))
        #expect(table.contains("| awsguard | `rds-storage-encrypted` |"))
        #expect(!table.contains("| awsguard | `rds-storage-encrypted` | high | advisory | `aws:rds/instance:Instance` | NIST SP 800-53 Rev. 5 SC-28 | awsguard:"), "AWSGuard policies do not list themselves")
    }
}
