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

    @Test func tableListsEveryBuiltinPolicyWithItsTokensAndFrameworks() {
        let table = PolicyCatalog(packs: BuiltinPacks.all).markdownTable()
        for pack in BuiltinPacks.all {
            for policy in pack.policies { #expect(table.contains("| \(pack.name) | `\(policy.descriptor.name)` |")) }
        }
        #expect(table.contains("| aws | `s3-bucket-public-access-block` | high | advisory | `aws-native:s3:Bucket`<br>`aws:s3/bucket:Bucket`<br>`aws:s3/bucketV2:BucketV2` | CIS AWS Foundations Benchmark 1.5.0 2.1.5 |"))
        #expect(table.contains("| aws | `account-multi-region-trail` | high | disabled | stack | CIS AWS Foundations Benchmark 1.5.0 3.1 |"))
    }
}
