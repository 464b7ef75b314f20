import Foundation
import Rampart
import RampartBuiltins
import RampartPolicy
import Testing

/// The built-in policies that check what one of Pulumi's compliance-ready policies checks name it, and carry its
/// framework tags. `Fixtures/compliance-equivalents.json` lists the checks with a full Rampart equivalent
/// (upstream name, the Rampart policy, upstream's framework tags), as the compliance peer's mapping records them.
@Suite struct ComplianceEquivalentsTests {
    struct Row: Decodable {
        var upstream: String
        var rampart: String
        var frameworks: [String]
    }

    static let rows: [Row] = {
        let path = Fixture.root + "/compliance-equivalents.json"
        return (try? JSONDecoder().decode([Row].self, from: Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }()

    static func policy(_ reference: String) -> (any Policy)? {
        let parts = reference.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return BuiltinPacks.all.first { $0.name == parts[0] }?.policy(named: parts[1])
    }

    @Test func fixtureListsTheEquivalentChecks() {
        #expect(Self.rows.count == 88)
    }

    @Test(arguments: rows.map(\.upstream))
    func equivalentPolicyNamesTheUpstreamCheckAndItsFrameworks(upstream: String) throws {
        let row = try #require(Self.rows.first { $0.upstream == upstream })
        let policy = try #require(Self.policy(row.rampart), "no built-in policy \(row.rampart)")
        let d = policy.descriptor
        #expect(d.equivalents.contains(PolicyEquivalent(.pulumiCompliancePolicies, upstream)))
        let families = Set(d.frameworks.map(\.family))
        for framework in row.frameworks {
            #expect(families.contains(framework), "\(row.rampart) lacks framework \(framework) of \(upstream)")
        }
    }

    @Test func everyUpstreamNameIsDeclaredOnce() {
        var seen: [String: String] = [:]
        for pack in BuiltinPacks.all {
            for policy in pack.policies {
                for equivalent in policy.descriptor.equivalents where equivalent.source == .pulumiCompliancePolicies {
                    let here = "\(pack.name)/\(policy.descriptor.name)"
                    #expect(seen[equivalent.policy] == nil, "\(equivalent.policy) named by \(seen[equivalent.policy] ?? "") and \(here)")
                    seen[equivalent.policy] = here
                }
            }
        }
    }

    @Test func awsBaselinePoliciesNameTheAWSGuardPoliciesTheyShareAChecksWith() throws {
        let pairs = [("aws/rds-storage-encrypted", "rds-storage-encrypted"), ("aws/rds-not-publicly-accessible", "rds-instance-public-access"),
                     ("aws/kms-key-rotation-enabled", "cmk-backing-key-rotation-enabled"), ("aws/efs-encrypted", "efs-encrypted"),
                     ("aws/s3-bucket-access-logging-enabled", "s3-bucket-logging-enabled")]
        for (reference, awsguard) in pairs {
            let policy = try #require(Self.policy(reference))
            #expect(policy.descriptor.equivalents.contains(PolicyEquivalent(.awsguard, awsguard)))
            #expect(Self.policy("awsguard/\(awsguard)") != nil)
        }
    }
}
