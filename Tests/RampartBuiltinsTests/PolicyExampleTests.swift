import RampartBuiltins
import RampartPolicy
import Testing

/// One example of one built-in policy, as a test argument.
struct ExampleCase: Sendable, CustomTestStringConvertible {
    var pack: String
    var policy: any Policy
    var index: Int
    var example: PolicyExample

    var testDescription: String {
        "\(pack)/\(policy.descriptor.name) #\(index) (\(example.expectation.rawValue)\(example.note.map { ": \($0)" } ?? ""))"
    }

    /// Every example of every policy of every built-in pack; packs added later are covered without editing this.
    static var all: [ExampleCase] {
        BuiltinPacks.all.flatMap { pack in
            pack.policies.flatMap { policy in
                policy.descriptor.examples.enumerated().map { ExampleCase(pack: pack.name, policy: policy, index: $0.offset, example: $0.element) }
            }
        }
    }
}

@Suite struct BuiltinPolicyExampleTests {
    @Test(arguments: ExampleCase.all)
    func exampleHasItsExpectedOutcome(_ item: ExampleCase) throws {
        let result = try PolicyExampleRunner.run(item.policy, example: item.example)
        #expect(result.passed, "\(item.testDescription): observed \(result.observed?.rawValue ?? "error") from \(result.outcomes)")
    }

    @Test func everyBuiltinPolicyHasCompliantAndNonCompliantExamples() {
        for pack in BuiltinPacks.all {
            #expect(PolicyPack.isValidName(pack.name))
            var names = Set<String>()
            for policy in pack.policies {
                let d = policy.descriptor
                #expect(names.insert(d.name).inserted, "\(pack.name)/\(d.name) is named twice")
                #expect(d.name != "all", "'all' is reserved")
                let expectations = Set(d.examples.map(\.expectation))
                // Policies that read files or the org snapshot cannot be shown by one example resource; their
                // fixture tests stand in (FilePolicyTests).
                let readsMoreThanState = (policy as? any EvidenceDescribing).map { !$0.evidence.isSubset(of: [.state]) } ?? false
                if !readsMoreThanState {
                    #expect(expectations.contains(.pass), "\(pack.name)/\(d.name) has no compliant example")
                    #expect(expectations.contains(.violation), "\(pack.name)/\(d.name) has no non-compliant example")
                }
                #expect(d.rationale != nil && d.remediation != nil, "\(pack.name)/\(d.name) lacks rationale or remediation")
            }
        }
    }

    @Test func awsguardShipsItsOfflinePoliciesUnderAWSGuardNames() throws {
        let pack = try #require(BuiltinPacks.named("awsguard"))
        let names = Set(pack.policies.map(\.descriptor.name))
        let expected: Set<String> = [
            "apigateway-stage-cached", "apigateway-method-cached-and-encrypted", "apigateway-endpoint-type",
            "ec2-instance-detailed-monitoring-enabled", "ec2-instance-no-public-ip", "ec2-volume-inuse", "elb-logging-enabled",
            "encrypted-volumes", "security-group-no-rule-management-conflicts", "redshift-cluster-configuration",
            "redshift-cluster-maintenance-settings", "redshift-cluster-public-access", "dynamodb-table-encryption-enabled",
            "rds-instance-backup-enabled", "rds-instance-multi-az-enabled", "rds-instance-public-access", "rds-storage-encrypted",
            "elasticsearch-encrypted-at-rest", "elasticsearch-in-vpc-only", "iam-role-no-policy-management-conflicts",
            "alb-http-to-https-redirection", "cmk-backing-key-rotation-enabled", "efs-encrypted", "elb-deletion-protection-enabled",
            "s3-bucket-logging-enabled",
        ]
        #expect(names == expected)
        #expect(pack.enforcementLevel == .advisory)
        #expect(pack.policy(named: "security-group-no-rule-management-conflicts") is any StackPolicy)
        #expect(pack.policy(named: "iam-role-no-policy-management-conflicts") is any StackPolicy)
    }
}
