import RampartBuiltins
import RampartPolicy
import Testing

/// Pulumi's compliance-ready checks for athena, appflow, cloudfront, ec2/ebs, ecr and efs (issue #18, part A):
/// which `builtin:aws` policy is each one's equivalent, on the upstream resource type.
@Suite struct AWSComplianceParityTests {
    /// Upstream check → (its resource type, the Rampart policy that names it).
    static let expected: [String: (type: String, policy: String)] = [
        "aws-appflow-connectorprofile-configure-customer-managed-key": ("aws:appflow/connectorProfile:ConnectorProfile", "appflow-customer-managed-key"),
        "awsnative-appflow-connectorprofile-configure-customer-managed-key": ("aws-native:appflow:ConnectorProfile", "appflow-customer-managed-key"),
        "aws-appflow-flow-configure-customer-managed-key": ("aws:appflow/flow:Flow", "appflow-customer-managed-key"),
        "awsnative-appflow-flow-configure-customer-managed-key": ("aws-native:appflow:Flow", "appflow-customer-managed-key"),
        "aws-appflow-flow-missing-description": ("aws:appflow/flow:Flow", "appflow-flow-described"),
        "awsnative-appflow-flow-missing-description": ("aws-native:appflow:Flow", "appflow-flow-described"),
        "aws-athena-database-disallow-unencrypted-database": ("aws:athena/database:Database", "athena-database-encrypted"),
        "aws-athena-database-configure-customer-managed-key": ("aws:athena/database:Database", "athena-database-customer-managed-key"),
        "aws-athena-workgroup-disallow-unencrypted-workgroup": ("aws:athena/workgroup:Workgroup", "athena-workgroup-encrypted"),
        "awsnative-athena-workgroup-disallow-unencrypted-workgroup": ("aws-native:athena:WorkGroup", "athena-workgroup-encrypted"),
        "aws-athena-workgroup-configure-customer-managed-key": ("aws:athena/workgroup:Workgroup", "athena-workgroup-customer-managed-key"),
        "awsnative-athena-workgroup-configure-customer-managed-key": ("aws-native:athena:WorkGroup", "athena-workgroup-customer-managed-key"),
        "aws-athena-workgroup-enforce-configuration": ("aws:athena/workgroup:Workgroup", "athena-workgroup-enforces-configuration"),
        "awsnative-athena-workgroup-enforce-configuration": ("aws-native:athena:WorkGroup", "athena-workgroup-enforces-configuration"),
        "aws-athena-datacatalog-missing-description": ("aws:athena/dataCatalog:DataCatalog", "athena-resources-described"),
        "awsnative-athena-datacatalog-missing-description": ("aws-native:athena:DataCatalog", "athena-resources-described"),
        "aws-athena-database-missing-description": ("aws:athena/database:Database", "athena-resources-described"),
        "aws-athena-namedquery-missing-description": ("aws:athena/namedQuery:NamedQuery", "athena-resources-described"),
        "awsnative-athena-namedquery-missing-description": ("aws-native:athena:NamedQuery", "athena-resources-described"),
        "aws-athena-workgroup-missing-description": ("aws:athena/workgroup:Workgroup", "athena-resources-described"),
        "awsnative-athena-workgroup-missing-description": ("aws-native:athena:WorkGroup", "athena-resources-described"),
        "aws-cloudfront-distribution-configure-secure-tls-to-origin": ("aws:cloudfront/distribution:Distribution", "cloudfront-origin-tls12"),
        "awsnative-cloudfront-distribution-configure-secure-tls-to-origin": ("aws-native:cloudfront:Distribution", "cloudfront-origin-tls12"),
        "aws-ebs-volume-configure-customer-managed-key": ("aws:ebs/volume:Volume", "ebs-volume-customer-managed-key"),
        "awsnative-ec2-volume-configure-customer-managed-key": ("aws-native:ec2:Volume", "ebs-volume-customer-managed-key"),
        "aws-ec2-instance-disallow-public-ip": ("aws:ec2/instance:Instance", "ec2-instance-not-publicly-addressed"),
        "aws-ec2-launchconfiguration-disallow-public-ip": ("aws:ec2/launchConfiguration:LaunchConfiguration", "ec2-launch-template-no-public-ip"),
        "aws-ec2-launchtemplate-configure-customer-managed-key": ("aws:ec2/launchTemplate:LaunchTemplate", "ec2-launch-template-volumes-customer-managed-key"),
        "aws-ec2-securitygroup-disallow-inbound-http-traffic": ("aws:ec2/securityGroup:SecurityGroup", "security-group-no-http-ingress"),
        "aws-ec2-securitygroup-disallow-public-internet-ingress": ("aws:ec2/securityGroup:SecurityGroup", "security-group-no-public-ingress"),
        "aws-ec2-securitygroup-missing-description": ("aws:ec2/securityGroup:SecurityGroup", "security-group-described"),
        "aws-ec2-securitygroup-missing-ingress-rule-description": ("aws:ec2/securityGroup:SecurityGroup", "security-group-rules-described"),
        "aws-ec2-securitygroup-missing-egress-rule-description": ("aws:ec2/securityGroup:SecurityGroup", "security-group-rules-described"),
        "aws-ecr-repository-configure-customer-managed-key": ("aws:ecr/repository:Repository", "ecr-repository-customer-managed-key"),
        "awsnative-ecr-repository-configure-customer-managed-key": ("aws-native:ecr:Repository", "ecr-repository-customer-managed-key"),
        "aws-efs-filesystem-configure-customer-managed-key": ("aws:efs/fileSystem:FileSystem", "efs-customer-managed-key"),
        "awsnative-efs-filesystem-configure-customer-managed-key": ("aws-native:efs:FileSystem", "efs-customer-managed-key"),
        "aws-efs-filesystem-disallow-single-availability-zone": ("aws:efs/fileSystem:FileSystem", "efs-multi-az"),
        "awsnative-efs-filesystem-disallow-single-availability-zone": ("aws-native:efs:FileSystem", "efs-multi-az"),
        "awsnative-efs-filesystem-disallow-bypass-policy-lockout-safety-check": ("aws-native:efs:FileSystem", "efs-no-policy-lockout-bypass"),
    ]

    @Test func eachCheckIsNamedByOnePolicyThatEvaluatesItsResourceType() throws {
        let pack = try #require(BuiltinPacks.named("aws"))
        for (check, want) in Self.expected {
            let naming = pack.policies.filter { $0.descriptor.equivalents.contains(PolicyEquivalent(.pulumiCompliancePolicies, check)) }
            #expect(naming.map(\.descriptor.name) == [want.policy], "\(check) is named by \(naming.map(\.descriptor.name))")
            let policy = try #require(pack.policy(named: want.policy) as? any ResourcePolicy, "\(want.policy) missing")
            #expect(policy.types.matches(want.type), "\(want.policy) does not evaluate \(want.type)")
        }
    }

    /// Customer-managed-key policies accept a key ARN or alias of the account's own, not an AWS-managed alias.
    @Test func awsManagedKeyAliasesAreNotCustomerManaged() throws {
        let pack = try #require(BuiltinPacks.named("aws"))
        let policy = try #require(pack.policy(named: "ebs-volume-customer-managed-key"))
        let cases: [(String, PolicyExample.Expectation)] = [
            ("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", .pass),
            ("alias/team-ebs", .pass),
            ("alias/aws/ebs", .violation),
            ("arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs", .violation),
            (" ", .violation),
        ]
        for (key, expectation) in cases {
            let example = PolicyExample(type: "aws:ebs/volume:Volume", properties: #"{"encrypted": true, "kmsKeyId": "\#(key)"}"#, expect: expectation)
            let result = try PolicyExampleRunner.run(policy, example: example)
            #expect(result.passed, "\(key): \(result.outcomes)")
        }
    }
}
