import PulumiRPC
@testable import RampartAnalyzer
import Testing

/// What one configuration's calls share (`PreparedAnalysis`).
@Suite struct PreparedAnalysisTests {
    typealias H = AnalyzerHarness

    /// `typeMismatches` lists the enabled resource policies whose types exclude the resource's, and remembers them per
    /// type: the answer is the same the first time, the next time, and once the remembered types are full.
    @Test func typeMismatchesAreTheSameRememberedOrNot() throws {
        let pack = try AnalyzerPackDirectory(directory: H.repository.appendingPathComponent("Samples/pulumi-analyzer").path).load()
        let prepared = PreparedAnalysis(pack: pack, state: AnalyzerSession.State())
        let bucket = "aws:s3/bucket:Bucket"
        let first = prepared.typeMismatches(for: bucket)
        #expect(!first.isEmpty)
        for skipped in first {
            let types = try #require(pack.entry(named: skipped.policyName)?.policy.asResourcePolicy?.types)
            #expect(!types.matches(bucket))
            #expect(skipped.reason.hasPrefix("Policy only applies to resources of type '"))
        }
        // A policy for buckets is not listed for a bucket.
        #expect(pack.entries.contains { $0.policy.asResourcePolicy?.types.matches(bucket) == true })
        #expect(first.allSatisfy { pack.entry(named: $0.policyName)?.policy.asResourcePolicy?.types.matches(bucket) == false })
        #expect(prepared.typeMismatches(for: bucket) == first)

        for i in 0..<PreparedAnalysis.typesRemembered { _ = prepared.typeMismatches(for: "test:index/kind\(i):Kind") }
        let fresh = PreparedAnalysis(pack: pack, state: AnalyzerSession.State())
        for type in [bucket, "aws:ec2/securityGroup:SecurityGroup", "test:index/late:Late", "test:index/kind7:Kind"] {
            #expect(prepared.typeMismatches(for: type) == fresh.typeMismatches(for: type))
        }
    }
}
